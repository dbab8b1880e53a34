# Italiano (forma di cortesia, Lei).

## Tutte le e-mail

hello = Buongiorno,
automatic = Questo è un messaggio automatico.
questions = Domande? Una persona di { $organization } La aiuterà: { $contact }
colon = :
support-help = Se ha bisogno di aiuto, apra una richiesta in Support Case Manager ({ $url }) e scelga l'opzione Software Licensing.
thanks-for-message = La ringraziamo per il Suo messaggio.
what-next = Cosa fare ora:
what-happens-next = Cosa succede ora:
how-to-answer = Come rispondere:
button-reply = Rispondi { $word }
nothing-changed = Non è stato modificato nulla.
nothing-created-or-changed = Non è stato creato né modificato nulla.
nothing-more-to-do = Non deve fare altro.
note-from = Nota di { $partner }:
users-to-be-given-access = Utenti che riceveranno l'accesso:
users-given-access = Questi utenti hanno ricevuto l'accesso e ciascuno è stato informato per e-mail:
partner-told = Abbiamo informato { $partner }.
language-name =
    { $code ->
        [en] inglese
        [fr] francese
        [de] tedesco
        [es] spagnolo
        [it] italiano
        [pt] portoghese
        [ja] giapponese
        [zh] cinese
       *[other] { $code }
    }

## I campi del modulo

field-reference = Riferimento
field-account-name = Nome dell'account
field-customer-email = E-mail del cliente
field-account-domain = Dominio dell'account
field-note-to-customer = Nota per il cliente
field-user-emails = E-mail degli utenti
field-note-to-users = Nota per gli utenti
field-partner-company = Azienda del partner
field-language = Lingua
field-requested-by = Richiesto da
field-approved-by = Approvato da
field-status = Stato
form-fields-help = Nome dell'account, e-mail del cliente e dominio dell'account sono obbligatori; gli altri campi sono facoltativi. Separi più e-mail degli utenti con virgole oppure ne scriva una per riga. La lingua può essere uno dei codici { $codes }.

## I problemi di un modulo rifiutato

problem-missing = mancante: questo campo è obbligatorio
problem-too-long = troppo lungo: { $len } caratteri, al massimo { $max }
problem-bad-email = "{ $value }" non è un indirizzo e-mail valido
problem-one-email-only = indichi un solo indirizzo (trovato "{ $value }")
problem-bad-domain = "{ $value }" non è un nome di dominio valido (come esempio.it)
problem-too-many-users = { $count } utenti indicati, al massimo { $max }
problem-more-bad-emails = e altri { $count } indirizzi non validi
problem-bad-language = "{ $value }" non è una lingua disponibile: scriva uno dei codici { $codes }
problem-domain-busy = { $domain } ha già una richiesta in corso, { $reference }; risponda a quella richiesta o attenda che venga chiusa
problem-own-address = { $value } è il Suo indirizzo: il cliente e gli utenti devono essere altre persone (un partner non può approvare la propria richiesta)
problem-desk-address = { $value } è l'indirizzo di questo servizio: indichi l'indirizzo di una persona

## review

review-subject = Verifichi la Sua richiesta [{ $reference }]
review-intro = La ringraziamo per la Sua richiesta di Smart Account. Prima di creare qualsiasi cosa, verifichi che l'abbiamo compresa correttamente.
review-no-note = (nessuna)
review-no-users = (nessuno)
review-if-right = Se è tutto corretto, risponda { $word } (o { $alt }) per inviare la richiesta.
review-if-not = Se non la desidera più, risponda { $word } (o { $alt }) per annullarla.
review-reply-how = Scriva la parola nella prima riga della risposta. Usi il pulsante Rispondi del Suo programma di posta e non modifichi l'indirizzo di risposta: è unico per questa richiesta:
review-if-wrong = Se qualcosa non è corretto, risponda { $word } e poi invii un nuovo modulo corretto in una nuova e-mail a:
review-when-submit = Quando invia la richiesta, viene creato uno Smart Account provvisorio e al cliente viene chiesto di accettarlo entro { $acceptance_days } giorni. Se non riceviamo una Sua risposta entro { $review_days } giorni, questa richiesta scade e non viene creato nulla.

## request_invalid

request-invalid-subject = Richiesta non accettata: corregga la Sua richiesta di Smart Account
request-invalid-intro = La ringraziamo per la Sua richiesta di Smart Account. Non abbiamo potuto accettarla perché il modulo presenta i seguenti problemi:
request-invalid-nothing = Non è stato creato nulla e non è stato contattato nessun altro.
request-invalid-next = Cosa fare ora: compili di nuovo il modulo vuoto qui sotto, correggendo i campi indicati, e lo invii in una nuova e-mail a:

## request_complete

request-complete-subject = Richiesta di Smart Account completata [{ $reference }]
request-complete-intro = La Sua richiesta di Smart Account { $reference } è completata: il Suo Smart Account provvisorio è stato creato, in attesa dell'accettazione del cliente.
request-complete-sent = Abbiamo inviato al cliente ({ $customer }) le istruzioni di attivazione. Il cliente ha tempo fino al giorno { $date } per accettare.
request-complete-when-accepts = Quando il cliente accetta, l'account diventa attivo e La informeremo.
request-complete-users = Gli utenti da Lei indicati riceveranno allora l'accesso e ne saranno informati per e-mail:
request-complete-if-declines = Se il cliente rifiuta, o non accetta entro la data indicata, La informeremo e potrà inviare una nuova richiesta.
request-complete-nothing-to-do = Per ora non deve fare nulla. Può avvisare il cliente che riceverà la nostra e-mail con il riferimento { $reference }.

## activation e reminder

activation-subject = Attivi il Suo Smart Account [{ $reference }]
activation-asked = { $partner }, di { $organization }, ha chiesto a { $desk } di creare uno Smart Account per la Sua organizzazione e L'ha indicata come la persona che lo approva.
activation-asked-us = { $partner }, di { $organization }, ci ha chiesto di creare uno Smart Account per la Sua organizzazione e L'ha indicata come la persona che lo approva.
activation-provisional = L'account è stato creato in via provvisoria. Diventa attivo solo quando Lei lo accetta. Risponda entro il giorno { $date }; dopo tale termine la richiesta scade e non viene attivato nulla.
activation-to-accept = Per attivare l'account, risponda { $word } (o { $alt }).
activation-to-decline = Per rifiutarlo, risponda { $word } (o { $alt }).
activation-reply-how = Scriva la parola nella prima riga della risposta. Usi il pulsante Rispondi del Suo programma di posta e non modifichi l'indirizzo di risposta: è unico per questa richiesta, e una nuova e-mail al servizio non potrebbe esservi collegata:
activation-not-recognised = Se non riconosce questa richiesta, risponda { $word } oppure non faccia nulla: l'account non viene mai attivato senza la Sua accettazione.
reminder-subject = Promemoria: attivi il Suo Smart Account [{ $reference }]
reminder-intro =
    Le ricordiamo che la richiesta di Smart Account qui sotto attende ancora la Sua risposta. Scade il giorno { $date } ({ $days ->
        [one] manca { $days } giorno
       *[other] mancano { $days } giorni
    }).
reminder-asked = { $partner }, di { $organization }, ha chiesto a { $desk } di creare questo Smart Account per la Sua organizzazione e L'ha indicata come la persona che lo approva.
reminder-asked-us = { $partner }, di { $organization }, ci ha chiesto di creare questo Smart Account per la Sua organizzazione e L'ha indicata come la persona che lo approva.

## activated_partner, activated_customer, user_access

activated-partner-subject = Smart Account attivato [{ $reference }]
activated-partner-intro = Buone notizie: il cliente ({ $customer }) ha accettato la Sua richiesta { $reference } e lo Smart Account è ora attivo.
activated-partner-no-users = Nella richiesta non erano indicati utenti, quindi nessun altro ha ricevuto l'accesso.
activated-partner-done = Questo messaggio conferma l'attivazione; non deve fare altro.
activated-customer-subject = Il Suo Smart Account è attivo [{ $reference }]
activated-customer-intro = Grazie. Abbiamo ricevuto la Sua accettazione e lo Smart Account qui sotto è ora attivo.
user-access-subject = Ha ricevuto l'accesso allo Smart Account { $account } [{ $reference }]
user-access-intro = Lei ({ $recipient }) ha ricevuto l'accesso allo Smart Account qui sotto.
user-access-sign-in = Passo successivo: acceda a { $url } con questo indirizzo per usare l'account.
user-access-no-reply = Non è necessario rispondere a questa e-mail. Se pensa di averla ricevuta per errore, contatti { $customer }.

## declined, declined_customer, cancelled

declined-subject = Richiesta di Smart Account rifiutata [{ $reference }]
declined-intro = Il cliente ({ $customer }) ha rifiutato la Sua richiesta di Smart Account { $reference }.
declined-closed = La richiesta è ora chiusa: l'account provvisorio non verrà attivato e nessun utente ha ricevuto l'accesso.
declined-next = Cosa fare ora: se il cliente ha ancora bisogno di uno Smart Account, per esempio dopo averne parlato con lui, può inviare una nuova richiesta per lo stesso dominio in una nuova e-mail a:
declined-customer-subject = Ha rifiutato lo Smart Account [{ $reference }]
declined-customer-intro = Abbiamo registrato che ha rifiutato lo Smart Account qui sotto. Non verrà attivato e nessuno ha ricevuto l'accesso.
declined-customer-told = Abbiamo informato { $partner }. Se si tratta di un errore, gli chieda di inviare una nuova richiesta.
cancelled-subject = Richiesta di Smart Account annullata [{ $reference }]
cancelled-by-desk = La Sua richiesta di Smart Account { $reference } è stata annullata dal servizio. Non è stato creato nulla.
cancelled-reason = Motivo: { $reason }
cancelled-by-you = Come da Lei richiesto, la Sua richiesta di Smart Account { $reference } è stata annullata. Non è stato creato nulla e il cliente non è stato contattato.
cancelled-next = Cosa fare ora: per richiederlo di nuovo, per esempio con dati corretti, invii un nuovo modulo di richiesta in una nuova e-mail a:

## expired_customer, expired_partner, review_expired

expired-subject = Richiesta di Smart Account scaduta [{ $reference }]
expired-customer-intro = La richiesta di Smart Account { $reference } di { $partner } è scaduta il giorno { $date } perché non è stata accettata in tempo.
expired-customer-nothing = Non è stato attivato nulla e nessun utente ha ricevuto l'accesso. Le risposte alle nostre e-mail precedenti su questa richiesta non verranno più considerate.
expired-customer-ask = Se desidera ancora questo Smart Account, chieda a { $partner } di inviare una nuova richiesta.
expired-partner-intro = Il cliente ({ $customer }) non ha accettato in tempo la Sua richiesta di Smart Account { $reference }. È scaduta il giorno { $date }.
expired-partner-nothing = L'account provvisorio non è stato attivato e nessun utente ha ricevuto l'accesso. Abbiamo informato il cliente.
expired-partner-next = Cosa fare ora: se il cliente desidera ancora questo Smart Account, invii una nuova richiesta per lo stesso dominio ({ $domain }) in una nuova e-mail a:
expired-partner-check = Può essere utile verificare prima con il cliente che il suo indirizzo ({ $customer }) sia corretto e che le nostre e-mail gli arrivino.
review-expired-subject = Richiesta di Smart Account chiusa: non inviata [{ $reference }]
review-expired-intro = La Sua richiesta di Smart Account { $reference } non è stata inviata entro { $days } giorni dalla nostra e-mail di verifica, quindi è stata chiusa. Non è stato creato nulla e il cliente non è stato contattato.
review-expired-next = Cosa fare ora: se l'account è ancora necessario, invii un nuovo modulo di richiesta in una nuova e-mail a:

## undeliverable

undeliverable-subject = Impossibile recapitare l'e-mail di attivazione [{ $reference }]
undeliverable-intro = Non siamo riusciti a recapitare l'e-mail di attivazione della Sua richiesta di Smart Account { $reference } all'indirizzo del cliente:
undeliverable-reported = Il sistema di posta del destinatario ha segnalato:
undeliverable-closed = Poiché il cliente non può ricevere le istruzioni di attivazione, la richiesta è stata chiusa. L'account provvisorio non verrà attivato e nessun utente ha ricevuto l'accesso.
undeliverable-next = Cosa fare ora: verifichi l'indirizzo e-mail con il cliente, poi invii una nuova richiesta con l'indirizzo corretto in una nuova e-mail a:

## not_authorized

not-authorized-subject = Richiesta non autorizzata
not-authorized-unknown-sender = Il Suo indirizzo ({ $sender }) non è autorizzato a richiedere Smart Account tramite questo servizio, quindi non abbiamo dato seguito al Suo messaggio. Se ritiene che dovrebbe esserlo, contatti l'amministratore partner della Sua azienda.
not-authorized-not-partner = Solo il partner che ha inviato la richiesta { $reference } può inviarla o annullarla, quindi non abbiamo dato seguito al Suo messaggio da { $sender }. Se lavora con quel partner, gli chieda di rispondere personalmente.
not-authorized-not-customer = Solo il cliente indicato nella richiesta { $reference } può accettarla o rifiutarla, quindi non abbiamo dato seguito al Suo messaggio da { $sender }. Se ritiene di dover approvare questo account, contatti il partner che l'ha richiesto.
not-authorized-too-many-open = Il Suo indirizzo ({ $sender }) ha già { $limit } richieste in corso, il massimo che un indirizzo di partner può avere contemporaneamente, quindi non ne abbiamo creata una nuova. Quando alcune saranno state accettate, rifiutate o chiuse, invii di nuovo il modulo.
not-authorized-daily-limit = Il Suo indirizzo ({ $sender }) ha inviato { $limit } nuove richieste nelle ultime 24 ore, il massimo che accettiamo in un giorno, quindi non ne abbiamo creata una nuova. Invii di nuovo il modulo domani.
not-authorized-dmarc-about = Il Suo messaggio sulla richiesta { $reference } dichiara di provenire da { $sender }, ma il nostro server di posta non ha potuto confermarlo (non ha superato il controllo DMARC del dominio del mittente), quindi non vi abbiamo dato seguito. Se l'ha inviato Lei, lo invii di nuovo dal Suo account di posta abituale, senza un servizio di inoltro intermedio; altrimenti non deve fare nulla.
not-authorized-dmarc = Il Suo messaggio dichiara di provenire da { $sender }, ma il nostro server di posta non ha potuto confermarlo (non ha superato il controllo DMARC del dominio del mittente), quindi non vi abbiamo dato seguito. Se l'ha inviato Lei, lo invii di nuovo dal Suo account di posta abituale, senza un servizio di inoltro intermedio; altrimenti non deve fare nulla.
not-authorized-other = Il Suo indirizzo ({ $sender }) non è autorizzato a fare ciò che chiedeva il Suo messaggio, quindi non vi abbiamo dato seguito.

## unmatched_reply

unmatched-subject = Non abbiamo potuto elaborare la Sua risposta
unmatched-no-command-about = Abbiamo ricevuto la Sua risposta sulla richiesta { $reference }, ma non vi abbiamo trovato una risposta. Risponda di nuovo con una di queste parole nella prima riga, sopra l'eventuale testo citato:
unmatched-no-command = Abbiamo ricevuto la Sua risposta, ma non vi abbiamo trovato una risposta. Risponda di nuovo con una di queste parole nella prima riga, sopra l'eventuale testo citato:
unmatched-ambiguous-about = Abbiamo ricevuto la Sua risposta sulla richiesta { $reference }, ma contiene entrambe le risposte possibili, quindi non abbiamo capito quale intendesse. Risponda di nuovo con una sola di queste parole nella prima riga, sopra l'eventuale testo citato:
unmatched-ambiguous = Abbiamo ricevuto la Sua risposta, ma contiene entrambe le risposte possibili, quindi non abbiamo capito quale intendesse. Risponda di nuovo con una sola di queste parole nella prima riga, sopra l'eventuale testo citato:
unmatched-to-submit = Per inviare la richiesta, risponda { $word } (o { $alt }).
unmatched-to-cancel = Per annullarla, risponda { $word } (o { $alt }).
unmatched-partner-answers = Il partner che ha inviato la richiesta risponde { $submit } (o { $submit_alt }) oppure { $cancel } (o { $cancel_alt }).
unmatched-customer-answers = Il cliente risponde { $accept } (o { $accept_alt }) oppure { $decline } (o { $decline_alt }).
unmatched-reply-here = Risponda a questo indirizzo, senza modificarlo:
unmatched-not-linked = La Sua e-mail cita la richiesta { $reference } nell'oggetto, ma non è una risposta a una delle nostre e-mail su quella richiesta. Per sicurezza possiamo dare seguito solo a una risposta diretta alla nostra e-mail: cerchi la nostra e-mail su { $reference }, usi il pulsante Rispondi del Suo programma di posta e non modifichi l'indirizzo da cui proviene.
unmatched-wrong-state = Abbiamo ricevuto la Sua risposta sulla richiesta { $reference }, ma la richiesta non attende più quella risposta.
unmatched-status = Il suo stato attuale è: { $status }.
unmatched-may-send-new = Se serve ancora uno Smart Account, il partner può inviare una nuova richiesta.
unmatched-unknown-reference-named = Non abbiamo trovato la richiesta a cui si riferisce la Sua e-mail ({ $reference }). Verifichi il riferimento oppure risponda alla nostra e-mail sulla richiesta con il pulsante Rispondi del Suo programma di posta.
unmatched-unknown-reference = Non abbiamo trovato la richiesta a cui si riferisce la Sua e-mail. Verifichi il riferimento oppure risponda alla nostra e-mail sulla richiesta con il pulsante Rispondi del Suo programma di posta.
unmatched-other = Non abbiamo potuto collegare la Sua e-mail a una richiesta in attesa di risposta.

## form_help

form-help-subject = Modulo di richiesta di Smart Account
form-help-intro = Per richiedere uno Smart Account per un cliente, copi il modulo qui sotto in una nuova e-mail all'indirizzo seguente, scriva i valori dopo le etichette e la invii:
form-help-fields = Nome dell'account, e-mail del cliente e dominio dell'account sono obbligatori; gli altri campi sono facoltativi. Separi più e-mail degli utenti con virgole oppure ne scriva una per riga. La lingua ({ $codes }) determina la lingua delle nostre e-mail. Prima di creare qualsiasi cosa Le invieremo un riepilogo da verificare.
