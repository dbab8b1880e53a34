# Português do Brasil.

## Todos os e-mails

hello = Olá,
automatic = Esta é uma mensagem automática.
questions = Dúvidas? Uma pessoa da { $organization } vai ajudar: { $contact }
colon = :
support-help = Se precisar de ajuda, abra um chamado no Support Case Manager ({ $url }) e escolha a opção Software Licensing.
thanks-for-message = Agradecemos sua mensagem.
what-next = O que fazer agora:
what-happens-next = O que acontece a seguir:
how-to-answer = Como responder:
button-reply = Responder { $word }
nothing-changed = Nada foi alterado.
nothing-created-or-changed = Nada foi criado nem alterado.
nothing-more-to-do = Você não precisa fazer mais nada.
note-from = Nota de { $partner }:
users-to-be-given-access = Usuários que receberão acesso:
users-given-access = Estes usuários receberam acesso, e cada um foi avisado por e-mail:
partner-told = Avisamos { $partner }.
language-name =
    { $code ->
        [en] inglês
        [fr] francês
        [de] alemão
        [es] espanhol
        [it] italiano
        [pt] português
        [ja] japonês
        [zh] chinês
       *[other] { $code }
    }

## Os campos do formulário

field-reference = Referência
field-account-name = Nome da conta
field-customer-email = E-mail do cliente
field-account-domain = Domínio da conta
field-note-to-customer = Nota para o cliente
field-user-emails = E-mails dos usuários
field-note-to-users = Nota para os usuários
field-partner-company = Empresa do parceiro
field-language = Idioma
field-requested-by = Solicitado por
field-approved-by = Aprovado por
field-status = Status
form-fields-help = Nome da conta, e-mail do cliente e domínio da conta são obrigatórios; os demais campos são opcionais. Separe vários e-mails de usuários com vírgulas ou escreva um por linha. O idioma pode ser um destes códigos: { $codes }.

## Os problemas de um formulário recusado

problem-missing = ausente: este campo é obrigatório
problem-too-long = longo demais: { $len } caracteres, no máximo { $max }
problem-bad-email = "{ $value }" não é um endereço de e-mail válido
problem-one-email-only = informe um único endereço (encontrado "{ $value }")
problem-bad-domain = "{ $value }" não é um nome de domínio válido (como exemplo.com.br)
problem-too-many-users = { $count } usuários informados, no máximo { $max }
problem-more-bad-emails = e mais { $count } endereços inválidos
problem-bad-language = "{ $value }" não é um idioma disponível: escreva um destes códigos: { $codes }
problem-domain-busy = { $domain } já tem uma solicitação em andamento, { $reference }; responda a essa solicitação ou aguarde até que seja encerrada
problem-own-address = { $value } é o seu próprio endereço: o cliente e os usuários devem ser outras pessoas (um parceiro não pode aprovar a própria solicitação)
problem-desk-address = { $value } é o endereço deste serviço: informe o endereço de uma pessoa

## review

review-subject = Revise sua solicitação [{ $reference }]
review-intro = Agradecemos sua solicitação de Smart Account. Antes de criar qualquer coisa, confira se a entendemos corretamente.
review-no-note = (nenhuma)
review-no-users = (nenhum)
review-if-right = Se estiver tudo certo, responda { $word } (ou { $alt }) para enviar a solicitação.
review-if-not = Se não quiser mais a solicitação, responda { $word } (ou { $alt }) para cancelá-la.
review-reply-how = Escreva a palavra na primeira linha da sua resposta. Use o botão Responder do seu programa de e-mail e mantenha o endereço de resposta como está; ele é exclusivo desta solicitação:
review-if-wrong = Se algo estiver errado, responda { $word } e depois envie um formulário novo e corrigido em um novo e-mail para:
review-when-submit = Quando você enviar, uma Smart Account provisória será criada e o cliente será convidado a aceitá-la em até { $acceptance_days } dias. Se não recebermos sua resposta em { $review_days } dias, esta solicitação expira e nada é criado.

## request_invalid

request-invalid-subject = Solicitação não aceita: corrija sua solicitação de Smart Account
request-invalid-intro = Agradecemos sua solicitação de Smart Account. Não foi possível aceitá-la porque o formulário tem os seguintes problemas:
request-invalid-nothing = Nada foi criado, e ninguém mais foi contatado.
request-invalid-next = O que fazer agora: preencha novamente o formulário em branco abaixo, corrigindo os campos indicados, e envie-o em um novo e-mail para:

## request_complete

request-complete-subject = Solicitação de Smart Account concluída [{ $reference }]
request-complete-intro = Sua solicitação de Smart Account { $reference } foi concluída: sua Smart Account provisória foi criada e aguarda a aceitação do cliente.
request-complete-sent = Enviamos ao cliente ({ $customer }) as instruções de ativação. O cliente tem até { $date } para aceitar.
request-complete-when-accepts = Quando o cliente aceitar, a conta ficará ativa e avisaremos você.
request-complete-users = Os usuários que você indicou receberão então acesso e serão avisados por e-mail:
request-complete-if-declines = Se o cliente recusar, ou não aceitar até a data acima, avisaremos você, e você poderá enviar uma nova solicitação.
request-complete-nothing-to-do = Você não precisa fazer nada agora. Talvez queira avisar o cliente de que receberá nosso e-mail com a referência { $reference }.

## activation e reminder

activation-subject = Ative sua Smart Account [{ $reference }]
activation-asked = { $partner }, da { $organization }, pediu a { $desk } que criasse uma Smart Account para a sua organização e indicou você como a pessoa que a aprova.
activation-asked-us = { $partner }, da { $organization }, nos pediu que criássemos uma Smart Account para a sua organização e indicou você como a pessoa que a aprova.
activation-provisional = A conta foi criada provisoriamente. Ela só fica ativa quando você a aceita. Responda até { $date }; depois desse prazo, a solicitação expira e nada é ativado.
activation-to-accept = Para ativar a conta, responda { $word } (ou { $alt }).
activation-to-decline = Para recusá-la, responda { $word } (ou { $alt }).
activation-reply-how = Escreva a palavra na primeira linha da sua resposta. Use o botão Responder do seu programa de e-mail e mantenha o endereço de resposta como está; ele é exclusivo desta solicitação, e um novo e-mail enviado ao serviço não poderia ser vinculado a ela:
activation-not-recognised = Se você não reconhece esta solicitação, responda { $word } ou simplesmente não faça nada: a conta nunca é ativada sem a sua aceitação.
reminder-subject = Lembrete: ative sua Smart Account [{ $reference }]
reminder-intro =
    Este é um lembrete: a solicitação de Smart Account abaixo ainda aguarda sua resposta. Ela expira em { $date } ({ $days ->
        [one] falta { $days } dia
       *[other] faltam { $days } dias
    }).
reminder-asked = { $partner }, da { $organization }, pediu a { $desk } que criasse esta Smart Account para a sua organização e indicou você como a pessoa que a aprova.
reminder-asked-us = { $partner }, da { $organization }, nos pediu que criássemos esta Smart Account para a sua organização e indicou você como a pessoa que a aprova.

## activated_partner, activated_customer, user_access

activated-partner-subject = Smart Account ativada [{ $reference }]
activated-partner-intro = Boas notícias: o cliente ({ $customer }) aceitou sua solicitação { $reference }, e a Smart Account agora está ativa.
activated-partner-no-users = Nenhum usuário foi indicado na solicitação, então ninguém mais recebeu acesso.
activated-partner-done = Isto confirma a ativação; você não precisa fazer mais nada.
activated-customer-subject = Sua Smart Account está ativa [{ $reference }]
activated-customer-intro = Obrigado. Recebemos sua aceitação, e a Smart Account abaixo agora está ativa.
user-access-subject = Você recebeu acesso à Smart Account { $account } [{ $reference }]
user-access-intro = Você ({ $recipient }) recebeu acesso à Smart Account abaixo.
user-access-sign-in = Próximo passo: entre em { $url } com este endereço para usar a conta.
user-access-no-reply = Você não precisa responder a este e-mail. Se achar que o recebeu por engano, entre em contato com { $customer }.

## declined, declined_customer, cancelled

declined-subject = Solicitação de Smart Account recusada [{ $reference }]
declined-intro = O cliente ({ $customer }) recusou sua solicitação de Smart Account { $reference }.
declined-closed = A solicitação agora está encerrada: a conta provisória não será ativada, e nenhum usuário recebeu acesso.
declined-next = O que fazer agora: se o cliente ainda precisar de uma Smart Account, por exemplo depois de conversar com ele, você pode enviar uma nova solicitação para o mesmo domínio em um novo e-mail para:
declined-customer-subject = Você recusou a Smart Account [{ $reference }]
declined-customer-intro = Registramos que você recusou a Smart Account abaixo. Ela não será ativada, e ninguém recebeu acesso.
declined-customer-told = Avisamos { $partner }. Se foi um engano, peça que envie uma nova solicitação.
cancelled-subject = Solicitação de Smart Account cancelada [{ $reference }]
cancelled-by-desk = Sua solicitação de Smart Account { $reference } foi cancelada pelo serviço. Nada foi criado.
cancelled-reason = Motivo: { $reason }
cancelled-by-you = Conforme você pediu, sua solicitação de Smart Account { $reference } foi cancelada. Nada foi criado, e o cliente não foi contatado.
cancelled-next = O que fazer agora: para solicitar novamente, por exemplo com dados corrigidos, envie um novo formulário de solicitação em um novo e-mail para:

## expired_customer, expired_partner, review_expired

expired-subject = Solicitação de Smart Account expirada [{ $reference }]
expired-customer-intro = A solicitação de Smart Account { $reference } de { $partner } expirou em { $date }, porque não foi aceita a tempo.
expired-customer-nothing = Nada foi ativado, e nenhum usuário recebeu acesso. Respostas aos nossos e-mails anteriores sobre esta solicitação não serão mais consideradas.
expired-customer-ask = Se você ainda quiser esta Smart Account, peça a { $partner } que envie uma nova solicitação.
expired-partner-intro = O cliente ({ $customer }) não aceitou a tempo sua solicitação de Smart Account { $reference }. Ela expirou em { $date }.
expired-partner-nothing = A conta provisória não foi ativada, e nenhum usuário recebeu acesso. Avisamos o cliente.
expired-partner-next = O que fazer agora: se o cliente ainda quiser esta Smart Account, envie uma nova solicitação para o mesmo domínio ({ $domain }) em um novo e-mail para:
expired-partner-check = Pode ajudar confirmar antes com o cliente que o endereço dele ({ $customer }) está correto e que nossos e-mails chegam até ele.
review-expired-subject = Solicitação de Smart Account encerrada: não enviada [{ $reference }]
review-expired-intro = Sua solicitação de Smart Account { $reference } não foi enviada em até { $days } dias após nosso e-mail de revisão, por isso foi encerrada. Nada foi criado, e o cliente não foi contatado.
review-expired-next = O que fazer agora: se a conta ainda for necessária, envie um novo formulário de solicitação em um novo e-mail para:

## undeliverable

undeliverable-subject = Não foi possível entregar o e-mail de ativação [{ $reference }]
undeliverable-intro = Não foi possível entregar o e-mail de ativação da sua solicitação de Smart Account { $reference } no endereço do cliente:
undeliverable-reported = O sistema de e-mail do destinatário informou:
undeliverable-closed = Como o cliente não pode receber as instruções de ativação, a solicitação foi encerrada. A conta provisória não será ativada, e nenhum usuário recebeu acesso.
undeliverable-next = O que fazer agora: confirme o endereço de e-mail com o cliente e depois envie uma nova solicitação com o endereço correto em um novo e-mail para:

## not_authorized

not-authorized-subject = Solicitação não autorizada
not-authorized-unknown-sender = Seu endereço ({ $sender }) não tem permissão para solicitar Smart Accounts por este serviço, por isso não atendemos sua mensagem. Se você acha que deveria ter, entre em contato com o administrador de parceiros da sua empresa.
not-authorized-not-partner = Somente o parceiro que enviou a solicitação { $reference } pode enviá-la ou cancelá-la, por isso não atendemos sua mensagem de { $sender }. Se você trabalha com esse parceiro, peça que ele mesmo responda.
not-authorized-not-customer = Somente o cliente indicado na solicitação { $reference } pode aceitá-la ou recusá-la, por isso não atendemos sua mensagem de { $sender }. Se você acha que deveria aprovar esta conta, entre em contato com o parceiro que a solicitou.
not-authorized-too-many-open = Seu endereço ({ $sender }) já tem { $limit } solicitações em andamento, o máximo que um endereço de parceiro pode ter ao mesmo tempo, por isso não criamos uma nova. Quando algumas forem aceitas, recusadas ou encerradas, envie seu formulário novamente.
not-authorized-daily-limit = Seu endereço ({ $sender }) enviou { $limit } novas solicitações nas últimas 24 horas, o máximo que aceitamos em um dia, por isso não criamos uma nova. Envie seu formulário novamente amanhã.
not-authorized-dmarc-about = Sua mensagem sobre a solicitação { $reference } diz vir de { $sender }, mas nosso servidor de e-mail não conseguiu confirmar isso (ela não passou na verificação DMARC do domínio do remetente), por isso não a atendemos. Se você a enviou, envie-a novamente da sua conta de e-mail habitual, sem um serviço de encaminhamento no meio; se não, não precisa fazer nada.
not-authorized-dmarc = Sua mensagem diz vir de { $sender }, mas nosso servidor de e-mail não conseguiu confirmar isso (ela não passou na verificação DMARC do domínio do remetente), por isso não a atendemos. Se você a enviou, envie-a novamente da sua conta de e-mail habitual, sem um serviço de encaminhamento no meio; se não, não precisa fazer nada.
not-authorized-other = Seu endereço ({ $sender }) não tem permissão para fazer o que sua mensagem pedia, por isso não a atendemos.

## unmatched_reply

unmatched-subject = Não foi possível processar sua resposta
unmatched-no-command-about = Recebemos sua resposta sobre a solicitação { $reference }, mas não encontramos nela uma resposta. Responda novamente com uma destas palavras na primeira linha, acima de qualquer texto citado:
unmatched-no-command = Recebemos sua resposta, mas não encontramos nela uma resposta. Responda novamente com uma destas palavras na primeira linha, acima de qualquer texto citado:
unmatched-ambiguous-about = Recebemos sua resposta sobre a solicitação { $reference }, mas ela contém as duas respostas possíveis, então não sabemos qual você quis dar. Responda novamente com apenas uma destas palavras na primeira linha, acima de qualquer texto citado:
unmatched-ambiguous = Recebemos sua resposta, mas ela contém as duas respostas possíveis, então não sabemos qual você quis dar. Responda novamente com apenas uma destas palavras na primeira linha, acima de qualquer texto citado:
unmatched-to-submit = Para enviar a solicitação, responda { $word } (ou { $alt }).
unmatched-to-cancel = Para cancelá-la, responda { $word } (ou { $alt }).
unmatched-partner-answers = O parceiro que enviou a solicitação responde { $submit } (ou { $submit_alt }) ou { $cancel } (ou { $cancel_alt }).
unmatched-customer-answers = O cliente responde { $accept } (ou { $accept_alt }) ou { $decline } (ou { $decline_alt }).
unmatched-reply-here = Responda para este endereço, sem alterá-lo:
unmatched-not-linked = Seu e-mail menciona a solicitação { $reference } no assunto, mas não é uma resposta a um dos nossos e-mails sobre essa solicitação. Por segurança, só podemos atender uma resposta direta ao nosso próprio e-mail: procure nosso e-mail sobre { $reference }, use o botão Responder do seu programa de e-mail e mantenha o endereço de origem como está.
unmatched-wrong-state = Recebemos sua resposta sobre a solicitação { $reference }, mas a solicitação não aguarda mais essa resposta.
unmatched-status = O status atual dela é: { $status }.
unmatched-may-send-new = Se uma Smart Account ainda for necessária, o parceiro pode enviar uma nova solicitação.
unmatched-unknown-reference-named = Não encontramos a solicitação a que seu e-mail se refere ({ $reference }). Confira a referência ou responda ao nosso próprio e-mail sobre a solicitação com o botão Responder do seu programa de e-mail.
unmatched-unknown-reference = Não encontramos a solicitação a que seu e-mail se refere. Confira a referência ou responda ao nosso próprio e-mail sobre a solicitação com o botão Responder do seu programa de e-mail.
unmatched-other = Não conseguimos vincular seu e-mail a uma solicitação que aguarda resposta.

## form_help

form-help-subject = Formulário de solicitação de Smart Account
form-help-intro = Para solicitar uma Smart Account para um cliente, copie o formulário abaixo em um novo e-mail para o endereço a seguir, escreva os valores depois dos rótulos e envie:
form-help-fields = Nome da conta, e-mail do cliente e domínio da conta são obrigatórios; os demais campos são opcionais. Separe vários e-mails de usuários com vírgulas ou escreva um por linha. O idioma ({ $codes }) define o idioma dos nossos e-mails. Antes de criar qualquer coisa, enviaremos um resumo para você conferir.
