# Deutsch (Sie-Form).

## Alle E-Mails

hello = Guten Tag,
automatic = Dies ist eine automatisch erstellte Nachricht.
questions = Fragen? Eine Ansprechperson bei { $organization } hilft Ihnen gern: { $contact }
colon = :
support-help = Wenn Sie Hilfe benötigen, eröffnen Sie im Support Case Manager ({ $url }) einen Fall und wählen Sie die Option „Software Licensing“.
thanks-for-message = Vielen Dank für Ihre Nachricht.
what-next = So geht es weiter:
what-happens-next = Wie es weitergeht:
how-to-answer = So antworten Sie:
button-reply = Mit { $word } antworten
nothing-changed = Es wurde nichts geändert.
nothing-created-or-changed = Es wurde nichts erstellt oder geändert.
nothing-more-to-do = Sie müssen nichts weiter tun.
note-from = Hinweis von { $partner }:
users-to-be-given-access = Benutzer, die Zugriff erhalten sollen:
users-given-access = Diese Benutzer haben Zugriff erhalten und wurden jeweils per E-Mail informiert:
partner-told = Wir haben { $partner } informiert.
language-name =
    { $code ->
        [en] Englisch
        [fr] Französisch
        [de] Deutsch
        [es] Spanisch
        [it] Italienisch
        [pt] Portugiesisch
        [ja] Japanisch
        [zh] Chinesisch
       *[other] { $code }
    }

## Die Felder des Formulars

field-reference = Referenz
field-account-name = Kontoname
field-customer-email = E-Mail des Kunden
field-account-domain = Kontodomäne
field-note-to-customer = Hinweis für den Kunden
field-user-emails = E-Mails der Benutzer
field-note-to-users = Hinweis für die Benutzer
field-partner-company = Partnerunternehmen
field-language = Sprache
field-requested-by = Angefordert von
field-approved-by = Genehmigt von
field-status = Status
form-fields-help = Kontoname, E-Mail des Kunden und Kontodomäne sind Pflichtfelder; die übrigen Felder sind optional. Trennen Sie mehrere E-Mail-Adressen von Benutzern durch Kommas, oder schreiben Sie eine pro Zeile. Als Sprache ist einer der Codes { $codes } möglich.

## Die Probleme eines abgelehnten Formulars

problem-missing = fehlt: Dieses Feld ist erforderlich
problem-too-long = zu lang: { $len } Zeichen, höchstens { $max }
problem-bad-email = „{ $value }“ ist keine gültige E-Mail-Adresse
problem-one-email-only = Geben Sie genau eine Adresse an (gefunden: „{ $value }“)
problem-bad-domain = „{ $value }“ ist kein gültiger Domainname (wie beispiel.de)
problem-too-many-users = { $count } Benutzer angegeben, höchstens { $max }
problem-more-bad-emails = und { $count } weitere ungültige Adressen
problem-bad-language = „{ $value }“ ist keine angebotene Sprache: Schreiben Sie einen der Codes { $codes }
problem-domain-busy = Für { $domain } läuft bereits eine Anfrage, { $reference }; beantworten Sie diese Anfrage, oder warten Sie, bis sie geschlossen ist
problem-own-address = { $value } ist Ihre eigene Adresse: Kunde und Benutzer müssen andere Personen sein (ein Partner kann seine eigene Anfrage nicht genehmigen)
problem-desk-address = { $value } ist die Adresse dieses Service: Geben Sie die Adresse einer Person an

## review

review-subject = Prüfen Sie Ihre Anfrage [{ $reference }]
review-intro = Vielen Dank für Ihre Smart-Account-Anfrage. Bevor etwas erstellt wird, prüfen Sie bitte, ob wir sie richtig verstanden haben.
review-no-note = (keiner)
review-no-users = (keine)
review-if-right = Wenn alles stimmt, antworten Sie mit { $word } (oder { $alt }), um die Anfrage zu senden.
review-if-not = Wenn Sie die Anfrage nicht mehr wünschen, antworten Sie mit { $word } (oder { $alt }), um sie abzubrechen.
review-reply-how = Schreiben Sie das Wort in die erste Zeile Ihrer Antwort. Verwenden Sie bitte die Schaltfläche „Antworten“ Ihres E-Mail-Programms, und lassen Sie die Antwortadresse unverändert; sie gilt nur für diese Anfrage:
review-if-wrong = Wenn etwas nicht stimmt, antworten Sie mit { $word }, und senden Sie dann ein neues, korrigiertes Formular in einer neuen E-Mail an:
review-when-submit = Wenn Sie die Anfrage senden, wird ein vorläufiger Smart Account erstellt, und der Kunde wird gebeten, ihn innerhalb von { $acceptance_days } Tagen anzunehmen. Erhalten wir innerhalb von { $review_days } Tagen keine Antwort von Ihnen, verfällt diese Anfrage, und es wird nichts erstellt.

## request_invalid

request-invalid-subject = Anfrage nicht angenommen: Bitte korrigieren Sie Ihre Smart-Account-Anfrage
request-invalid-intro = Vielen Dank für Ihre Smart-Account-Anfrage. Wir konnten sie nicht annehmen, weil das Formular folgende Probleme aufweist:
request-invalid-nothing = Es wurde nichts erstellt, und niemand sonst wurde kontaktiert.
request-invalid-next = So geht es weiter: Füllen Sie das leere Formular unten erneut aus, korrigieren Sie dabei die oben genannten Felder, und senden Sie es in einer neuen E-Mail an:

## request_complete

request-complete-subject = Smart-Account-Anfrage abgeschlossen [{ $reference }]
request-complete-intro = Ihre Smart-Account-Anfrage { $reference } ist abgeschlossen: Ihr vorläufiger Smart Account wurde erstellt und wartet auf die Annahme durch den Kunden.
request-complete-sent = Wir haben dem Kunden ({ $customer }) die Aktivierungsanweisungen gesendet. Der Kunde hat bis zum { $date } Zeit, ihn anzunehmen.
request-complete-when-accepts = Sobald der Kunde annimmt, wird das Konto aktiv, und wir benachrichtigen Sie.
request-complete-users = Die von Ihnen genannten Benutzer erhalten dann Zugriff und werden per E-Mail informiert:
request-complete-if-declines = Wenn der Kunde ablehnt oder bis zum oben genannten Datum nicht annimmt, benachrichtigen wir Sie, und Sie können eine neue Anfrage senden.
request-complete-nothing-to-do = Sie müssen jetzt nichts tun. Sie können den Kunden bitten, auf unsere E-Mail mit der Referenz { $reference } zu achten.

## activation und reminder

activation-subject = Aktivieren Sie Ihren Smart Account [{ $reference }]
activation-asked = { $partner } von { $organization } hat { $desk } gebeten, einen Smart Account für Ihre Organisation zu erstellen, und Sie als die Person benannt, die ihn genehmigt.
activation-asked-us = { $partner } von { $organization } hat uns gebeten, einen Smart Account für Ihre Organisation zu erstellen, und Sie als die Person benannt, die ihn genehmigt.
activation-provisional = Das Konto wurde vorläufig erstellt. Es wird erst aktiv, wenn Sie es annehmen. Bitte antworten Sie bis zum { $date }; nach diesem Zeitpunkt verfällt die Anfrage, und es wird nichts aktiviert.
activation-to-accept = Um das Konto zu aktivieren, antworten Sie mit { $word } (oder { $alt }).
activation-to-decline = Um es abzulehnen, antworten Sie mit { $word } (oder { $alt }).
activation-reply-how = Schreiben Sie das Wort in die erste Zeile Ihrer Antwort. Verwenden Sie bitte die Schaltfläche „Antworten“ Ihres E-Mail-Programms, und lassen Sie die Antwortadresse unverändert; sie gilt nur für diese Anfrage, und eine neue E-Mail an den Service kann ihr nicht zugeordnet werden:
activation-not-recognised = Wenn Sie diese Anfrage nicht kennen, antworten Sie mit { $word }, oder tun Sie einfach nichts: Das Konto wird nie ohne Ihre Zustimmung aktiviert.
reminder-subject = Erinnerung: Aktivieren Sie Ihren Smart Account [{ $reference }]
reminder-intro =
    Dies ist eine Erinnerung: Die unten stehende Smart-Account-Anfrage wartet noch auf Ihre Antwort. Sie verfällt am { $date } (noch { $days ->
        [one] { $days } Tag
       *[other] { $days } Tage
    }).
reminder-asked = { $partner } von { $organization } hat { $desk } gebeten, diesen Smart Account für Ihre Organisation zu erstellen, und Sie als die Person benannt, die ihn genehmigt.
reminder-asked-us = { $partner } von { $organization } hat uns gebeten, diesen Smart Account für Ihre Organisation zu erstellen, und Sie als die Person benannt, die ihn genehmigt.

## activated_partner, activated_customer, user_access

activated-partner-subject = Smart Account aktiviert [{ $reference }]
activated-partner-intro = Gute Nachrichten: Der Kunde ({ $customer }) hat Ihre Anfrage { $reference } angenommen, und der Smart Account ist jetzt aktiv.
activated-partner-no-users = In der Anfrage waren keine Benutzer genannt, daher hat niemand sonst Zugriff erhalten.
activated-partner-done = Damit ist die Aktivierung bestätigt; Sie müssen nichts weiter tun.
activated-customer-subject = Ihr Smart Account ist aktiv [{ $reference }]
activated-customer-intro = Vielen Dank. Wir haben Ihre Annahme erhalten, und der unten stehende Smart Account ist jetzt aktiv.
user-access-subject = Sie haben Zugriff auf den Smart Account { $account } erhalten [{ $reference }]
user-access-intro = Sie ({ $recipient }) haben Zugriff auf den unten stehenden Smart Account erhalten.
user-access-sign-in = Nächster Schritt: Melden Sie sich mit dieser Adresse unter { $url } an, um das Konto zu nutzen.
user-access-no-reply = Sie müssen auf diese E-Mail nicht antworten. Wenn Sie meinen, sie irrtümlich erhalten zu haben, wenden Sie sich bitte an { $customer }.

## declined, declined_customer, cancelled

declined-subject = Smart-Account-Anfrage abgelehnt [{ $reference }]
declined-intro = Der Kunde ({ $customer }) hat Ihre Smart-Account-Anfrage { $reference } abgelehnt.
declined-closed = Die Anfrage ist jetzt geschlossen: Das vorläufige Konto wird nicht aktiviert, und kein Benutzer hat Zugriff erhalten.
declined-next = So geht es weiter: Wenn der Kunde weiterhin einen Smart Account benötigt, etwa nachdem Sie mit ihm gesprochen haben, können Sie eine neue Anfrage für dieselbe Domäne in einer neuen E-Mail senden an:
declined-customer-subject = Sie haben den Smart Account abgelehnt [{ $reference }]
declined-customer-intro = Wir haben vermerkt, dass Sie den unten stehenden Smart Account abgelehnt haben. Er wird nicht aktiviert, und niemand hat Zugriff erhalten.
declined-customer-told = Wir haben { $partner } informiert. Falls es sich um einen Irrtum handelt, bitten Sie dort um eine neue Anfrage.
cancelled-subject = Smart-Account-Anfrage abgebrochen [{ $reference }]
cancelled-by-desk = Ihre Smart-Account-Anfrage { $reference } wurde vom Service abgebrochen. Es wurde nichts erstellt.
cancelled-reason = Grund: { $reason }
cancelled-by-you = Wie gewünscht wurde Ihre Smart-Account-Anfrage { $reference } abgebrochen. Es wurde nichts erstellt, und der Kunde wurde nicht kontaktiert.
cancelled-next = So geht es weiter: Um die Anfrage erneut zu stellen, etwa mit korrigierten Angaben, senden Sie ein neues Anfrageformular in einer neuen E-Mail an:

## expired_customer, expired_partner, review_expired

expired-subject = Smart-Account-Anfrage abgelaufen [{ $reference }]
expired-customer-intro = Die Smart-Account-Anfrage { $reference } von { $partner } ist am { $date } abgelaufen, weil sie nicht rechtzeitig angenommen wurde.
expired-customer-nothing = Es wurde nichts aktiviert, und kein Benutzer hat Zugriff erhalten. Antworten auf unsere früheren E-Mails zu dieser Anfrage werden nicht mehr bearbeitet.
expired-customer-ask = Wenn Sie diesen Smart Account weiterhin wünschen, bitten Sie { $partner }, eine neue Anfrage zu senden.
expired-partner-intro = Der Kunde ({ $customer }) hat Ihre Smart-Account-Anfrage { $reference } nicht rechtzeitig angenommen. Sie ist am { $date } abgelaufen.
expired-partner-nothing = Das vorläufige Konto wurde nicht aktiviert, und kein Benutzer hat Zugriff erhalten. Wir haben den Kunden informiert.
expired-partner-next = So geht es weiter: Wenn der Kunde diesen Smart Account weiterhin wünscht, senden Sie eine neue Anfrage für dieselbe Domäne ({ $domain }) in einer neuen E-Mail an:
expired-partner-check = Es kann helfen, vorher mit dem Kunden zu klären, ob seine Adresse ({ $customer }) stimmt und ob unsere E-Mails ihn erreichen.
review-expired-subject = Smart-Account-Anfrage geschlossen: nicht gesendet [{ $reference }]
review-expired-intro = Ihre Smart-Account-Anfrage { $reference } wurde nicht innerhalb von { $days } Tagen nach unserer E-Mail zur Prüfung gesendet und ist daher geschlossen. Es wurde nichts erstellt, und der Kunde wurde nicht kontaktiert.
review-expired-next = So geht es weiter: Wenn das Konto weiterhin benötigt wird, senden Sie ein neues Anfrageformular in einer neuen E-Mail an:

## undeliverable

undeliverable-subject = Aktivierungs-E-Mail konnte nicht zugestellt werden [{ $reference }]
undeliverable-intro = Wir konnten die Aktivierungs-E-Mail zu Ihrer Smart-Account-Anfrage { $reference } nicht an die Adresse des Kunden zustellen:
undeliverable-reported = Das empfangende Mailsystem meldete:
undeliverable-closed = Da der Kunde die Aktivierungsanweisungen nicht erhalten kann, wurde die Anfrage geschlossen. Das vorläufige Konto wird nicht aktiviert, und kein Benutzer hat Zugriff erhalten.
undeliverable-next = So geht es weiter: Klären Sie die E-Mail-Adresse mit dem Kunden, und senden Sie dann eine neue Anfrage mit der richtigen Adresse in einer neuen E-Mail an:

## not_authorized

not-authorized-subject = Anfrage nicht berechtigt
not-authorized-unknown-sender = Ihre Adresse ({ $sender }) ist nicht berechtigt, über diesen Service Smart Accounts anzufordern; wir haben Ihre Nachricht daher nicht bearbeitet. Wenn Sie meinen, dass sie es sein sollte, wenden Sie sich bitte an die Partner-Administration Ihres Unternehmens.
not-authorized-not-partner = Nur der Partner, der die Anfrage { $reference } gesendet hat, kann sie senden oder abbrechen; wir haben Ihre Nachricht von { $sender } daher nicht bearbeitet. Wenn Sie mit diesem Partner zusammenarbeiten, bitten Sie ihn, selbst zu antworten.
not-authorized-not-customer = Nur der in der Anfrage { $reference } genannte Kunde kann sie annehmen oder ablehnen; wir haben Ihre Nachricht von { $sender } daher nicht bearbeitet. Wenn Sie meinen, dieses Konto genehmigen zu müssen, wenden Sie sich bitte an den Partner, der es angefordert hat.
not-authorized-too-many-open = Für Ihre Adresse ({ $sender }) laufen bereits { $limit } Anfragen, so viele, wie eine Partneradresse gleichzeitig haben kann; wir haben daher keine neue erstellt. Sobald einige davon angenommen, abgelehnt oder geschlossen sind, senden Sie Ihr Formular bitte erneut.
not-authorized-daily-limit = Von Ihrer Adresse ({ $sender }) kamen in den letzten 24 Stunden { $limit } neue Anfragen, so viele, wie wir an einem Tag annehmen; wir haben daher keine neue erstellt. Bitte senden Sie Ihr Formular morgen erneut.
not-authorized-dmarc-about = Ihre Nachricht zur Anfrage { $reference } gibt an, von { $sender } zu stammen, aber unser Mailserver konnte das nicht bestätigen (sie hat die DMARC-Prüfung der Absenderdomain nicht bestanden); wir haben sie daher nicht bearbeitet. Wenn Sie sie gesendet haben, senden Sie sie bitte erneut von Ihrem üblichen E-Mail-Konto, ohne einen Weiterleitungsdienst dazwischen; wenn nicht, müssen Sie nichts tun.
not-authorized-dmarc = Ihre Nachricht gibt an, von { $sender } zu stammen, aber unser Mailserver konnte das nicht bestätigen (sie hat die DMARC-Prüfung der Absenderdomain nicht bestanden); wir haben sie daher nicht bearbeitet. Wenn Sie sie gesendet haben, senden Sie sie bitte erneut von Ihrem üblichen E-Mail-Konto, ohne einen Weiterleitungsdienst dazwischen; wenn nicht, müssen Sie nichts tun.
not-authorized-other = Ihre Adresse ({ $sender }) ist nicht berechtigt, das zu tun, worum Ihre Nachricht bat; wir haben sie daher nicht bearbeitet.

## unmatched_reply

unmatched-subject = Wir konnten Ihre Antwort nicht verarbeiten
unmatched-no-command-about = Wir haben Ihre Antwort zur Anfrage { $reference } erhalten, konnten darin aber keine Antwort finden. Bitte antworten Sie erneut mit einem dieser Wörter in der ersten Zeile, über jedem zitierten Text:
unmatched-no-command = Wir haben Ihre Antwort erhalten, konnten darin aber keine Antwort finden. Bitte antworten Sie erneut mit einem dieser Wörter in der ersten Zeile, über jedem zitierten Text:
unmatched-ambiguous-about = Wir haben Ihre Antwort zur Anfrage { $reference } erhalten, aber sie enthält beide möglichen Antworten, sodass wir nicht erkennen konnten, welche Sie meinten. Bitte antworten Sie erneut mit nur einem dieser Wörter in der ersten Zeile, über jedem zitierten Text:
unmatched-ambiguous = Wir haben Ihre Antwort erhalten, aber sie enthält beide möglichen Antworten, sodass wir nicht erkennen konnten, welche Sie meinten. Bitte antworten Sie erneut mit nur einem dieser Wörter in der ersten Zeile, über jedem zitierten Text:
unmatched-to-submit = Um die Anfrage zu senden, antworten Sie mit { $word } (oder { $alt }).
unmatched-to-cancel = Um sie abzubrechen, antworten Sie mit { $word } (oder { $alt }).
unmatched-partner-answers = Der Partner, der die Anfrage gesendet hat, antwortet mit { $submit } (oder { $submit_alt }) oder { $cancel } (oder { $cancel_alt }).
unmatched-customer-answers = Der Kunde antwortet mit { $accept } (oder { $accept_alt }) oder { $decline } (oder { $decline_alt }).
unmatched-reply-here = Bitte antworten Sie an diese Adresse, und lassen Sie sie unverändert:
unmatched-not-linked = Ihre E-Mail nennt die Anfrage { $reference } im Betreff, ist aber keine Antwort auf eine unserer E-Mails zu dieser Anfrage. Aus Sicherheitsgründen können wir nur eine direkte Antwort auf unsere eigene E-Mail bearbeiten: Suchen Sie bitte unsere E-Mail zu { $reference }, verwenden Sie die Schaltfläche „Antworten“ Ihres E-Mail-Programms, und lassen Sie die Adresse, von der sie kam, unverändert.
unmatched-wrong-state = Wir haben Ihre Antwort zur Anfrage { $reference } erhalten, aber die Anfrage wartet nicht mehr auf diese Antwort.
unmatched-status = Ihr aktueller Status: { $status }.
unmatched-may-send-new = Wenn weiterhin ein Smart Account benötigt wird, kann der Partner eine neue Anfrage senden.
unmatched-unknown-reference-named = Wir konnten die Anfrage, auf die sich Ihre E-Mail bezieht ({ $reference }), nicht finden. Bitte prüfen Sie die Referenz, oder beantworten Sie unsere eigene E-Mail zu der Anfrage mit der Schaltfläche „Antworten“ Ihres E-Mail-Programms.
unmatched-unknown-reference = Wir konnten die Anfrage, auf die sich Ihre E-Mail bezieht, nicht finden. Bitte prüfen Sie die Referenz, oder beantworten Sie unsere eigene E-Mail zu der Anfrage mit der Schaltfläche „Antworten“ Ihres E-Mail-Programms.
unmatched-other = Wir konnten Ihre E-Mail keiner Anfrage zuordnen, die auf eine Antwort wartet.

## form_help

form-help-subject = Formular für Smart-Account-Anfragen
form-help-intro = Um einen Smart Account für einen Kunden anzufordern, kopieren Sie das Formular unten in eine neue E-Mail an die folgende Adresse, tragen Sie die Werte hinter den Bezeichnungen ein, und senden Sie sie ab:
form-help-fields = Kontoname, E-Mail des Kunden und Kontodomäne sind Pflichtfelder; die übrigen Felder sind optional. Trennen Sie mehrere E-Mail-Adressen von Benutzern durch Kommas, oder schreiben Sie eine pro Zeile. Die Sprache ({ $codes }) bestimmt die Sprache unserer E-Mails. Bevor etwas erstellt wird, senden wir Ihnen eine Zusammenfassung zur Prüfung.
