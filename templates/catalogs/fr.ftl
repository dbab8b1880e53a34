# Français.

## Tous les e-mails

hello = Bonjour,
automatic = Ceci est un message automatique.
questions = Des questions ? Une personne de { $organization } vous répondra : { $contact }
colon = {" "}:
support-help =
    Si vous avez besoin d'aide, ouvrez un dossier dans
    Support Case Manager ({ $url })
    et choisissez l'option Software Licensing.
thanks-for-message = Nous vous remercions de votre message.
what-next = Que faire maintenant :
what-happens-next = Et ensuite :
how-to-answer = Comment répondre :
button-reply = Répondre { $word }
nothing-changed = Rien n'a été modifié.
nothing-created-or-changed = Rien n'a été créé ni modifié.
nothing-more-to-do = Vous n'avez plus rien à faire.
note-from = Note de { $partner } :
users-to-be-given-access = Utilisateurs qui recevront l'accès :
users-given-access = Ces utilisateurs ont reçu l'accès et en ont été informés par e-mail :
partner-told = Nous en avons informé { $partner }.
language-name =
    { $code ->
        [en] anglais
        [fr] français
        [de] allemand
        [es] espagnol
        [it] italien
        [pt] portugais
        [ja] japonais
        [zh] chinois
       *[other] { $code }
    }

## Les champs du formulaire

field-reference = Référence
field-account-name = Nom du compte
field-customer-email = E-mail du client
field-account-domain = Domaine du compte
field-note-to-customer = Note au client
field-user-emails = E-mails des utilisateurs
field-note-to-users = Remarque à l'intention des utilisateurs ajoutés
field-partner-company = Société du partenaire
field-language = Langue
field-requested-by = Demandé par
field-approved-by = Approuvé par
field-status = État
form-fields-help =
    Le nom du compte, l'e-mail du client et le domaine du compte sont
    obligatoires ; les autres champs sont facultatifs. Séparez les e-mails
    des utilisateurs par des virgules ou mettez-en un par ligne. La langue
    peut être l'un des codes { $codes }.

## Les problèmes d'un formulaire refusé

problem-missing = manquant : ce champ est obligatoire
problem-too-long = trop long : { $len } caractères, { $max } au plus
problem-bad-email = « { $value } » n'est pas une adresse e-mail valide
problem-one-email-only = indiquez une seule adresse (trouvé « { $value } »)
problem-bad-domain = « { $value } » n'est pas un nom de domaine valide (comme exemple.fr)
problem-too-many-users = { $count } utilisateurs indiqués, { $max } au plus
problem-more-bad-emails = et { $count } autres adresses non valides
problem-bad-language = « { $value } » n'est pas une langue proposée : écrivez l'un des codes { $codes }
problem-domain-busy = { $domain } a déjà une demande en cours, { $reference } ; répondez à cette demande ou attendez sa clôture
problem-own-address = { $value } est votre propre adresse : le client et les utilisateurs doivent être d'autres personnes (un partenaire ne peut pas approuver sa propre demande)
problem-desk-address = { $value } est l'adresse de ce service : indiquez l'adresse d'une personne

## review

review-subject = Vérifiez votre demande [{ $reference }]
review-intro =
    Nous vous remercions de votre demande de Smart Account. Avant toute
    création, veuillez vérifier que nous l'avons bien comprise.
review-no-note = (aucune)
review-no-users = (aucun)
review-if-right =
    Si tout est correct, répondez { $word } (ou { $alt }) pour envoyer la
      demande.
review-if-not = Si vous n'en voulez plus, répondez { $word } (ou { $alt }) pour l'annuler.
review-reply-how =
    Écrivez le mot sur la première ligne de votre réponse. Utilisez le
    bouton Répondre de votre messagerie et conservez l'adresse de réponse
    telle quelle ; elle est propre à cette demande :
review-if-wrong =
    Si quelque chose est inexact, répondez { $word }, puis envoyez un
    formulaire corrigé dans un nouvel e-mail à :
review-when-submit =
    Une fois la demande envoyée, un Smart Account provisoire est créé et
    le client est invité à l'accepter dans un délai de
    { $acceptance_days } jours. Sans réponse de votre part sous
    { $review_days } jours, cette demande expire et rien n'est créé.

## request_invalid

request-invalid-subject = Demande non acceptée : veuillez corriger votre demande de Smart Account
request-invalid-intro =
    Nous vous remercions de votre demande de Smart Account. Nous n'avons
    pas pu l'accepter, car le formulaire présente les problèmes suivants :
request-invalid-nothing = Rien n'a été créé, et personne d'autre n'a été contacté.
request-invalid-next =
    Que faire maintenant : remplissez à nouveau le formulaire vierge
    ci-dessous en corrigeant les champs indiqués, puis envoyez-le dans un
    nouvel e-mail à :

## request_complete

request-complete-subject = Demande de Smart Account finalisée [{ $reference }]
request-complete-intro =
    Votre demande de Smart Account { $reference } est finalisée : votre
    Smart Account provisoire a été créé, en attente d'acceptation par le
    client.
request-complete-sent =
    Nous avons envoyé au client ({ $customer })
    les instructions d'activation. Le client a jusqu'au
    { $date } pour accepter.
request-complete-when-accepts =
    Lorsque le client acceptera, le compte deviendra actif et nous vous
      en informerons.
request-complete-users =
    Les utilisateurs que vous avez indiqués recevront alors l'accès et
      en seront informés par e-mail :
request-complete-if-declines =
    Si le client refuse, ou n'accepte pas d'ici la date ci-dessus, nous
      vous en informerons et vous pourrez envoyer une nouvelle demande.
request-complete-nothing-to-do =
    Vous n'avez rien à faire pour l'instant. Vous pouvez prévenir le client
    qu'il va recevoir notre e-mail portant la référence { $reference }.

## activation et reminder

activation-subject = Activez votre Smart Account [{ $reference }]
activation-asked =
    { $partner }, de { $organization }, a demandé à { $desk } de créer un Smart Account
    pour votre organisation et vous a indiqué comme la personne chargée
    de l'approuver.
activation-asked-us =
    { $partner }, de { $organization }, a demandé à notre service de créer un Smart Account
    pour votre organisation et vous a indiqué comme la personne chargée
    de l'approuver.
activation-provisional =
    Le compte a été créé à titre provisoire. Il ne devient actif que si
    vous l'acceptez. Veuillez répondre au plus tard le { $date } ;
    passé ce délai, la demande expire et rien n'est activé.
activation-to-accept = Pour activer le compte, répondez { $word } (ou { $alt }).
activation-to-decline = Pour le refuser, répondez { $word } (ou { $alt }).
activation-reply-how =
    Écrivez le mot sur la première ligne de votre réponse. Utilisez le
    bouton Répondre de votre messagerie et conservez l'adresse de réponse
    telle quelle ; elle est propre à cette demande, et un nouvel e-mail
    envoyé au service ne pourrait pas y être rattaché :
activation-not-recognised =
    Si vous ne reconnaissez pas cette demande, répondez { $word }, ou ne
    faites rien : le compte n'est jamais activé sans votre accord.
reminder-subject = Rappel : activez votre Smart Account [{ $reference }]
reminder-intro =
    Ceci est un rappel : la demande de Smart Account ci-dessous attend
    toujours votre réponse. Elle expire le { $date }
    (dans { $days ->
        [one] { $days } jour
       *[other] { $days } jours
    }).
reminder-asked =
    { $partner }, de { $organization }, a demandé à { $desk } de créer ce Smart Account
    pour votre organisation et vous a indiqué comme la personne chargée
    de l'approuver.
reminder-asked-us =
    { $partner }, de { $organization }, a demandé à notre service de créer ce Smart Account
    pour votre organisation et vous a indiqué comme la personne chargée
    de l'approuver.

## activated_partner, activated_customer, user_access

activated-partner-subject = Smart Account activé [{ $reference }]
activated-partner-intro =
    Bonne nouvelle : le client ({ $customer }) a accepté
    votre demande { $reference }, et le Smart Account est maintenant actif.
activated-partner-no-users =
    Aucun utilisateur n'était indiqué dans la demande ; personne d'autre
    n'a donc reçu l'accès.
activated-partner-done = Ce message confirme l'activation ; vous n'avez plus rien à faire.
activated-customer-subject = Votre Smart Account est actif [{ $reference }]
activated-customer-intro =
    Merci. Nous avons bien reçu votre acceptation, et le Smart Account
    ci-dessous est maintenant actif.
user-access-subject = Vous avez reçu l'accès au Smart Account { $account } [{ $reference }]
user-access-intro =
    Vous ({ $recipient }) avez reçu l'accès au Smart Account
    ci-dessous.
user-access-sign-in =
    Étape suivante : connectez-vous sur { $url } avec cette
    adresse pour utiliser le compte.
user-access-no-reply =
    Vous n'avez pas besoin de répondre à cet e-mail. Si vous pensez
    l'avoir reçu par erreur, veuillez contacter
    { $customer }.

## declined, declined_customer, cancelled

declined-subject = Demande de Smart Account refusée [{ $reference }]
declined-intro =
    Le client ({ $customer }) a refusé votre demande de
    Smart Account { $reference }.
declined-closed =
    La demande est maintenant close : le compte provisoire ne sera pas
    activé, et aucun utilisateur n'a reçu l'accès.
declined-next =
    Que faire maintenant : si le client a toujours besoin d'un Smart
    Account, par exemple après en avoir discuté avec lui, vous pouvez envoyer
    une nouvelle demande pour le même domaine dans un nouvel e-mail à :
declined-customer-subject = Vous avez refusé le Smart Account [{ $reference }]
declined-customer-intro =
    Nous avons bien enregistré votre refus du Smart Account ci-dessous. Il
    ne sera pas activé, et personne n'a reçu d'accès.
declined-customer-told =
    Nous en avons informé { $partner }. S'il s'agit d'une
    erreur, demandez-lui d'envoyer une nouvelle demande.
cancelled-subject = Demande de Smart Account annulée [{ $reference }]
cancelled-by-desk =
    Votre demande de Smart Account { $reference } a été annulée par le
    service. Rien n'a été créé.
cancelled-reason = Motif : { $reason }
cancelled-by-you =
    Comme vous l'avez demandé, votre demande de Smart Account
    { $reference } a été annulée. Rien n'a été créé et le client n'a pas
    été contacté.
cancelled-next =
    Que faire maintenant : pour refaire la demande, par exemple avec des
    informations corrigées, envoyez un nouveau formulaire dans un nouvel
    e-mail à :

## expired_customer, expired_partner, review_expired

expired-subject = Demande de Smart Account expirée [{ $reference }]
expired-customer-intro =
    La demande de Smart Account { $reference } de { $partner }
    a expiré le { $date }, car elle n'a pas été acceptée à
    temps.
expired-customer-nothing =
    Rien n'a été activé, et aucun utilisateur n'a reçu l'accès. Les
    réponses à nos précédents e-mails concernant cette demande ne seront
    plus traitées.
expired-customer-ask =
    Si vous souhaitez toujours ce Smart Account, demandez à
    { $partner } d'envoyer
    une nouvelle demande.
expired-partner-intro =
    Le client ({ $customer }) n'a pas accepté à temps votre
    demande de Smart Account { $reference }. Elle a expiré le
    { $date }.
expired-partner-nothing =
    Le compte provisoire n'a pas été activé, et aucun utilisateur n'a reçu
    l'accès. Nous en avons informé le client.
expired-partner-next =
    Que faire maintenant : si le client souhaite toujours ce Smart Account,
    envoyez une nouvelle demande pour le même domaine
    ({ $domain }) dans un nouvel e-mail à :
expired-partner-check =
    Il peut être utile de vérifier d'abord avec le client que son adresse
    ({ $customer }) est correcte et que nos e-mails lui
    parviennent.
review-expired-subject = Demande de Smart Account close : non envoyée [{ $reference }]
review-expired-intro =
    Votre demande de Smart Account { $reference } n'a pas été envoyée dans
    les { $days } jours qui ont suivi notre e-mail de
    relecture : elle est donc close. Rien n'a été créé et le client n'a
    pas été contacté.
review-expired-next =
    Que faire maintenant : si le compte est toujours nécessaire, envoyez
    un nouveau formulaire de demande dans un nouvel e-mail à :

## undeliverable

undeliverable-subject = L'e-mail d'activation n'a pas pu être remis [{ $reference }]
undeliverable-intro =
    Nous n'avons pas pu remettre l'e-mail d'activation de votre demande de
    Smart Account { $reference } à l'adresse du client :
undeliverable-reported = Le système de messagerie destinataire a indiqué :
undeliverable-closed =
    Comme le client ne peut pas recevoir les instructions d'activation, la
    demande a été close. Le compte provisoire ne sera pas activé, et aucun
    utilisateur n'a reçu l'accès.
undeliverable-next =
    Que faire maintenant : vérifiez l'adresse e-mail auprès du client,
    puis envoyez une nouvelle demande avec l'adresse correcte dans un
    nouvel e-mail à :

## not_authorized

not-authorized-subject = Demande non autorisée
not-authorized-unknown-sender =
    Votre adresse ({ $sender }) n'est pas autorisée à demander des Smart
    Accounts auprès de ce service ; nous n'avons donc pas donné suite à
    votre message. Si vous pensez qu'elle devrait l'être, veuillez
    contacter l'administrateur partenaire de votre entreprise.
not-authorized-not-partner =
    Seul le partenaire à l'origine de la demande { $reference } peut la
    soumettre ou l'annuler ; nous n'avons donc pas donné suite à votre
    message de { $sender }. Si vous travaillez avec ce partenaire, veuillez
    lui demander de répondre lui-même.
not-authorized-not-customer =
    Seul le client désigné dans la demande { $reference } peut l'accepter
    ou la refuser ; nous n'avons donc pas donné suite à votre message de
    { $sender }. Si vous pensez devoir approuver ce compte, veuillez
    contacter le partenaire qui l'a demandé.
not-authorized-too-many-open =
    Votre adresse ({ $sender }) a déjà { $limit } demandes en cours, le
    maximum pour une adresse de partenaire ; nous n'en avons donc pas créé
    de nouvelle. Lorsque certaines auront été acceptées, refusées ou
    clôturées, veuillez renvoyer votre formulaire.
not-authorized-daily-limit =
    Votre adresse ({ $sender }) a envoyé { $limit } nouvelles demandes au
    cours des dernières 24 heures, le maximum que nous acceptons par jour ;
    nous n'en avons donc pas créé de nouvelle. Veuillez renvoyer votre
    formulaire demain.
not-authorized-dmarc-about =
    Votre message sur la demande { $reference } indique venir de { $sender },
    mais notre serveur de messagerie n'a pas pu le confirmer (il n'a pas
    réussi le contrôle DMARC du domaine de l'expéditeur) ; nous n'y avons donc
    pas donné suite. Si vous l'avez envoyé, veuillez l'envoyer à nouveau
    depuis votre messagerie habituelle, sans service de transfert entre les
    deux ; sinon, vous n'avez rien à faire.
not-authorized-dmarc =
    Votre message indique venir de { $sender },
    mais notre serveur de messagerie n'a pas pu le confirmer (il n'a pas
    réussi le contrôle DMARC du domaine de l'expéditeur) ; nous n'y avons donc
    pas donné suite. Si vous l'avez envoyé, veuillez l'envoyer à nouveau
    depuis votre messagerie habituelle, sans service de transfert entre les
    deux ; sinon, vous n'avez rien à faire.
not-authorized-other =
    Votre adresse ({ $sender }) n'est pas autorisée à effectuer ce que
    demandait votre message ; nous n'y avons donc pas donné suite.

## unmatched_reply

unmatched-subject = Nous n'avons pas pu traiter votre réponse
unmatched-no-command-about =
    Nous avons bien reçu votre réponse concernant la
    demande { $reference }, mais nous n'y avons trouvé aucune
    réponse reconnue. Veuillez répondre à nouveau avec l'un de ces mots
    sur la première ligne, au-dessus de tout texte cité :
unmatched-no-command =
    Nous avons bien reçu votre réponse, mais nous n'y avons trouvé aucune
    réponse reconnue. Veuillez répondre à nouveau avec l'un de ces mots
    sur la première ligne, au-dessus de tout texte cité :
unmatched-ambiguous-about =
    Nous avons bien reçu votre réponse concernant la
    demande { $reference }, mais elle contient les deux réponses
    possibles ; nous n'avons donc pas pu savoir laquelle vous vouliez
    donner. Veuillez répondre à nouveau avec un seul de ces mots sur la
    première ligne, au-dessus de tout texte cité :
unmatched-ambiguous =
    Nous avons bien reçu votre réponse, mais elle contient les deux réponses
    possibles ; nous n'avons donc pas pu savoir laquelle vous vouliez
    donner. Veuillez répondre à nouveau avec un seul de ces mots sur la
    première ligne, au-dessus de tout texte cité :
unmatched-to-submit = Pour envoyer la demande, répondez { $word } (ou { $alt }).
unmatched-to-cancel = Pour l'annuler, répondez { $word } (ou { $alt }).
unmatched-partner-answers =
    Le partenaire à l'origine de la demande répond { $submit } (ou { $submit_alt })
      ou { $cancel } (ou { $cancel_alt }).
unmatched-customer-answers = Le client répond { $accept } (ou { $accept_alt }) ou { $decline } (ou { $decline_alt }).
unmatched-reply-here = Veuillez répondre à cette adresse, sans la modifier :
unmatched-not-linked =
    Votre e-mail mentionne la demande { $reference } dans son objet, mais
    il ne répond pas à l'un de nos e-mails concernant cette demande. Pour
    des raisons de sécurité, nous ne pouvons donner suite qu'à une réponse
    directe à notre propre e-mail : retrouvez notre e-mail concernant
    { $reference }, utilisez le bouton Répondre de votre messagerie et
    conservez telle quelle l'adresse d'où il provient.
unmatched-wrong-state =
    Nous avons bien reçu votre réponse concernant la demande { $reference },
    mais cette demande n'attend plus cette réponse.
unmatched-status = Son état actuel : { $status }.
unmatched-may-send-new =
    Si un Smart Account est toujours nécessaire, le partenaire peut
    envoyer une nouvelle demande.
unmatched-unknown-reference-named =
    Nous n'avons pas trouvé la demande à laquelle votre e-mail fait
    référence ({ $reference }).
    Veuillez vérifier la référence, ou répondre à notre propre e-mail
    concernant la demande avec le bouton Répondre de votre messagerie.
unmatched-unknown-reference =
    Nous n'avons pas trouvé la demande à laquelle votre e-mail fait
    référence.
    Veuillez vérifier la référence, ou répondre à notre propre e-mail
    concernant la demande avec le bouton Répondre de votre messagerie.
unmatched-other =
    Nous n'avons pas pu rattacher votre e-mail à une demande en attente
    de réponse.

## form_help

form-help-subject = Formulaire de demande de Smart Account
form-help-intro =
    Pour demander un Smart Account pour un client, copiez le formulaire
    ci-dessous dans un nouvel e-mail à l'adresse ci-dessous, indiquez les
    valeurs après les libellés, puis envoyez-le :
form-help-fields =
    Le nom du compte, l'e-mail du client et le domaine du compte sont
    obligatoires ; les autres champs sont facultatifs. Séparez les
    e-mails des utilisateurs par des virgules ou mettez-en un par ligne.
    La langue ({ $codes }) détermine la langue de nos e-mails. Nous vous
    enverrons un récapitulatif à vérifier avant toute création.
