# Español (de usted).

## Todos los correos

hello = Hola:
automatic = Este es un mensaje automático.
questions = ¿Tiene preguntas? Una persona de { $organization } le ayudará: { $contact }
colon = :
support-help = Si necesita ayuda, abra un caso en Support Case Manager ({ $url }) y elija la opción Software Licensing.
thanks-for-message = Gracias por su mensaje.
what-next = Qué hacer ahora:
what-happens-next = Qué ocurre a continuación:
how-to-answer = Cómo responder:
button-reply = Responder { $word }
nothing-changed = No se ha cambiado nada.
nothing-created-or-changed = No se ha creado ni cambiado nada.
nothing-more-to-do = No necesita hacer nada más.
note-from = Nota de { $partner }:
users-to-be-given-access = Usuarios que recibirán acceso:
users-given-access = Estos usuarios han recibido acceso y cada uno ha sido informado por correo electrónico:
partner-told = Se lo hemos comunicado a { $partner }.
language-name =
    { $code ->
        [en] inglés
        [fr] francés
        [de] alemán
        [es] español
        [it] italiano
        [pt] portugués
        [ja] japonés
        [zh] chino
       *[other] { $code }
    }

## Los campos del formulario

field-reference = Referencia
field-account-name = Nombre de la cuenta
field-customer-email = Correo electrónico del cliente
field-account-domain = Dominio de la cuenta
field-note-to-customer = Nota para el cliente
field-user-emails = Correos electrónicos de los usuarios
field-note-to-users = Nota para los usuarios
field-partner-company = Empresa del socio
field-language = Idioma
field-requested-by = Solicitado por
field-approved-by = Aprobado por
field-status = Estado
form-fields-help = El nombre de la cuenta, el correo electrónico del cliente y el dominio de la cuenta son obligatorios; los demás campos son opcionales. Separe varios correos de usuarios con comas o escriba uno por línea. El idioma puede ser uno de estos códigos: { $codes }.

## Los problemas de un formulario rechazado

problem-missing = falta: este campo es obligatorio
problem-too-long = demasiado largo: { $len } caracteres, { $max } como máximo
problem-bad-email = «{ $value }» no es una dirección de correo electrónico válida
problem-one-email-only = indique una sola dirección (se encontró «{ $value }»)
problem-bad-domain = «{ $value }» no es un nombre de dominio válido (como ejemplo.es)
problem-too-many-users = { $count } usuarios indicados, { $max } como máximo
problem-more-bad-emails = y { $count } direcciones no válidas más
problem-bad-language = «{ $value }» no es un idioma disponible: escriba uno de estos códigos: { $codes }
problem-domain-busy = { $domain } ya tiene una solicitud en curso, { $reference }; responda a esa solicitud o espere a que se cierre
problem-own-address = { $value } es su propia dirección: el cliente y los usuarios deben ser otras personas (un socio no puede aprobar su propia solicitud)
problem-desk-address = { $value } es la dirección de este servicio: indique la dirección de una persona

## review

review-subject = Revise su solicitud [{ $reference }]
review-intro = Gracias por su solicitud de Smart Account. Antes de crear nada, compruebe que la hemos entendido correctamente.
review-no-note = (ninguna)
review-no-users = (ninguno)
review-if-right = Si todo es correcto, responda { $word } (o { $alt }) para enviar la solicitud.
review-if-not = Si ya no la quiere, responda { $word } (o { $alt }) para cancelarla.
review-reply-how = Escriba la palabra en la primera línea de su respuesta. Use el botón Responder de su programa de correo y no cambie la dirección de respuesta; es única para esta solicitud:
review-if-wrong = Si algo no es correcto, responda { $word } y después envíe un formulario nuevo y corregido en un correo nuevo a:
review-when-submit = Cuando envíe la solicitud, se creará una Smart Account provisional y se pedirá al cliente que la acepte en un plazo de { $acceptance_days } días. Si no recibimos su respuesta en { $review_days } días, esta solicitud caducará y no se creará nada.

## request_invalid

request-invalid-subject = Solicitud no aceptada: corrija su solicitud de Smart Account
request-invalid-intro = Gracias por su solicitud de Smart Account. No hemos podido aceptarla porque el formulario tiene los siguientes problemas:
request-invalid-nothing = No se ha creado nada y no se ha contactado con nadie más.
request-invalid-next = Qué hacer ahora: vuelva a rellenar el formulario en blanco de abajo, corrigiendo los campos indicados, y envíelo en un correo nuevo a:

## request_complete

request-complete-subject = Solicitud de Smart Account completada [{ $reference }]
request-complete-intro = Su solicitud de Smart Account { $reference } está completada: se ha creado su Smart Account provisional, pendiente de la aceptación del cliente.
request-complete-sent = Hemos enviado al cliente ({ $customer }) las instrucciones de activación. El cliente tiene hasta el { $date } para aceptarla.
request-complete-when-accepts = Cuando el cliente acepte, la cuenta quedará activa y se lo comunicaremos.
request-complete-users = Los usuarios que indicó recibirán entonces acceso y serán informados por correo electrónico:
request-complete-if-declines = Si el cliente la rechaza, o no la acepta antes de la fecha indicada, se lo comunicaremos y podrá enviar una nueva solicitud.
request-complete-nothing-to-do = No necesita hacer nada por ahora. Puede avisar al cliente de que recibirá nuestro correo con la referencia { $reference }.

## activation y reminder

activation-subject = Active su Smart Account [{ $reference }]
activation-asked = { $partner }, de { $organization }, ha pedido a { $desk } que cree una Smart Account para su organización y le ha indicado a usted como la persona que la aprueba.
activation-asked-us = { $partner }, de { $organization }, nos ha pedido que creemos una Smart Account para su organización y le ha indicado a usted como la persona que la aprueba.
activation-provisional = La cuenta se ha creado de forma provisional. Solo quedará activa cuando usted la acepte. Responda antes del { $date }; pasado ese plazo, la solicitud caducará y no se activará nada.
activation-to-accept = Para activar la cuenta, responda { $word } (o { $alt }).
activation-to-decline = Para rechazarla, responda { $word } (o { $alt }).
activation-reply-how = Escriba la palabra en la primera línea de su respuesta. Use el botón Responder de su programa de correo y no cambie la dirección de respuesta; es única para esta solicitud, y un correo nuevo al servicio no podría vincularse a ella:
activation-not-recognised = Si no reconoce esta solicitud, responda { $word } o, simplemente, no haga nada: la cuenta nunca se activa sin su aceptación.
reminder-subject = Recordatorio: active su Smart Account [{ $reference }]
reminder-intro =
    Le recordamos que la solicitud de Smart Account indicada abajo sigue esperando su respuesta. Caduca el { $date } (quedan { $days ->
        [one] { $days } día
       *[other] { $days } días
    }).
reminder-asked = { $partner }, de { $organization }, pidió a { $desk } que creara esta Smart Account para su organización y le indicó a usted como la persona que la aprueba.
reminder-asked-us = { $partner }, de { $organization }, nos pidió que creáramos esta Smart Account para su organización y le indicó a usted como la persona que la aprueba.

## activated_partner, activated_customer, user_access

activated-partner-subject = Smart Account activada [{ $reference }]
activated-partner-intro = Buenas noticias: el cliente ({ $customer }) ha aceptado su solicitud { $reference } y la Smart Account ya está activa.
activated-partner-no-users = La solicitud no indicaba usuarios, así que nadie más ha recibido acceso.
activated-partner-done = Con esto se confirma la activación; no necesita hacer nada más.
activated-customer-subject = Su Smart Account está activa [{ $reference }]
activated-customer-intro = Gracias. Hemos recibido su aceptación y la Smart Account indicada abajo ya está activa.
user-access-subject = Ha recibido acceso a la Smart Account { $account } [{ $reference }]
user-access-intro = Usted ({ $recipient }) ha recibido acceso a la Smart Account indicada abajo.
user-access-sign-in = Siguiente paso: inicie sesión en { $url } con esta dirección para usar la cuenta.
user-access-no-reply = No necesita responder a este correo. Si cree que lo ha recibido por error, póngase en contacto con { $customer }.

## declined, declined_customer, cancelled

declined-subject = Solicitud de Smart Account rechazada [{ $reference }]
declined-intro = El cliente ({ $customer }) ha rechazado su solicitud de Smart Account { $reference }.
declined-closed = La solicitud queda cerrada: la cuenta provisional no se activará y ningún usuario ha recibido acceso.
declined-next = Qué hacer ahora: si el cliente sigue necesitando una Smart Account, por ejemplo después de hablarlo con él, puede enviar una nueva solicitud para el mismo dominio en un correo nuevo a:
declined-customer-subject = Ha rechazado la Smart Account [{ $reference }]
declined-customer-intro = Hemos registrado que ha rechazado la Smart Account indicada abajo. No se activará y nadie ha recibido acceso.
declined-customer-told = Se lo hemos comunicado a { $partner }. Si ha sido un error, pídale que envíe una nueva solicitud.
cancelled-subject = Solicitud de Smart Account cancelada [{ $reference }]
cancelled-by-desk = El servicio ha cancelado su solicitud de Smart Account { $reference }. No se ha creado nada.
cancelled-reason = Motivo: { $reason }
cancelled-by-you = Tal como pidió, su solicitud de Smart Account { $reference } ha sido cancelada. No se ha creado nada y no se ha contactado con el cliente.
cancelled-next = Qué hacer ahora: para volver a solicitarla, por ejemplo con datos corregidos, envíe un nuevo formulario de solicitud en un correo nuevo a:

## expired_customer, expired_partner, review_expired

expired-subject = Solicitud de Smart Account caducada [{ $reference }]
expired-customer-intro = La solicitud de Smart Account { $reference } de { $partner } caducó el { $date } porque no se aceptó a tiempo.
expired-customer-nothing = No se ha activado nada y ningún usuario ha recibido acceso. Las respuestas a nuestros correos anteriores sobre esta solicitud ya no se tendrán en cuenta.
expired-customer-ask = Si todavía desea esta Smart Account, pida a { $partner } que envíe una nueva solicitud.
expired-partner-intro = El cliente ({ $customer }) no aceptó a tiempo su solicitud de Smart Account { $reference }. Caducó el { $date }.
expired-partner-nothing = La cuenta provisional no se ha activado y ningún usuario ha recibido acceso. Se lo hemos comunicado al cliente.
expired-partner-next = Qué hacer ahora: si el cliente todavía desea esta Smart Account, envíe una nueva solicitud para el mismo dominio ({ $domain }) en un correo nuevo a:
expired-partner-check = Puede ser útil comprobar antes con el cliente que su dirección ({ $customer }) es correcta y que nuestros correos le llegan.
review-expired-subject = Solicitud de Smart Account cerrada: no enviada [{ $reference }]
review-expired-intro = Su solicitud de Smart Account { $reference } no se envió en los { $days } días siguientes a nuestro correo de revisión, por lo que se ha cerrado. No se ha creado nada y no se ha contactado con el cliente.
review-expired-next = Qué hacer ahora: si la cuenta sigue siendo necesaria, envíe un nuevo formulario de solicitud en un correo nuevo a:

## undeliverable

undeliverable-subject = No se pudo entregar el correo de activación [{ $reference }]
undeliverable-intro = No hemos podido entregar el correo de activación de su solicitud de Smart Account { $reference } a la dirección del cliente:
undeliverable-reported = El sistema de correo de destino informó:
undeliverable-closed = Como el cliente no puede recibir las instrucciones de activación, la solicitud se ha cerrado. La cuenta provisional no se activará y ningún usuario ha recibido acceso.
undeliverable-next = Qué hacer ahora: compruebe la dirección de correo electrónico con el cliente y después envíe una nueva solicitud con la dirección correcta en un correo nuevo a:

## not_authorized

not-authorized-subject = Solicitud no autorizada
not-authorized-unknown-sender = Su dirección ({ $sender }) no está autorizada a solicitar Smart Accounts a través de este servicio, por lo que no hemos atendido su mensaje. Si cree que debería estarlo, póngase en contacto con el administrador de socios de su empresa.
not-authorized-not-partner = Solo el socio que envió la solicitud { $reference } puede enviarla o cancelarla, por lo que no hemos atendido su mensaje de { $sender }. Si trabaja con ese socio, pídale que responda él mismo.
not-authorized-not-customer = Solo el cliente indicado en la solicitud { $reference } puede aceptarla o rechazarla, por lo que no hemos atendido su mensaje de { $sender }. Si cree que usted debería aprobar esta cuenta, póngase en contacto con el socio que la solicitó.
not-authorized-too-many-open = Su dirección ({ $sender }) ya tiene { $limit } solicitudes en curso, el máximo que puede tener a la vez una dirección de socio, por lo que no hemos creado una nueva. Cuando algunas se hayan aceptado, rechazado o cerrado, vuelva a enviar su formulario.
not-authorized-daily-limit = Su dirección ({ $sender }) ha enviado { $limit } solicitudes nuevas en las últimas 24 horas, el máximo que aceptamos en un día, por lo que no hemos creado una nueva. Vuelva a enviar su formulario mañana.
not-authorized-dmarc-about = Su mensaje sobre la solicitud { $reference } dice proceder de { $sender }, pero nuestro servidor de correo no ha podido confirmarlo (no superó la comprobación DMARC del dominio del remitente), por lo que no lo hemos atendido. Si usted lo envió, vuelva a enviarlo desde su cuenta de correo habitual, sin un servicio de reenvío de por medio; si no, no tiene que hacer nada.
not-authorized-dmarc = Su mensaje dice proceder de { $sender }, pero nuestro servidor de correo no ha podido confirmarlo (no superó la comprobación DMARC del dominio del remitente), por lo que no lo hemos atendido. Si usted lo envió, vuelva a enviarlo desde su cuenta de correo habitual, sin un servicio de reenvío de por medio; si no, no tiene que hacer nada.
not-authorized-other = Su dirección ({ $sender }) no está autorizada a hacer lo que pedía su mensaje, por lo que no lo hemos atendido.

## unmatched_reply

unmatched-subject = No hemos podido procesar su respuesta
unmatched-no-command-about = Hemos recibido su respuesta sobre la solicitud { $reference }, pero no hemos encontrado en ella ninguna respuesta. Vuelva a responder con una de estas palabras en la primera línea, encima de cualquier texto citado:
unmatched-no-command = Hemos recibido su respuesta, pero no hemos encontrado en ella ninguna respuesta. Vuelva a responder con una de estas palabras en la primera línea, encima de cualquier texto citado:
unmatched-ambiguous-about = Hemos recibido su respuesta sobre la solicitud { $reference }, pero contiene las dos respuestas posibles, así que no sabemos cuál quería dar. Vuelva a responder con solo una de estas palabras en la primera línea, encima de cualquier texto citado:
unmatched-ambiguous = Hemos recibido su respuesta, pero contiene las dos respuestas posibles, así que no sabemos cuál quería dar. Vuelva a responder con solo una de estas palabras en la primera línea, encima de cualquier texto citado:
unmatched-to-submit = Para enviar la solicitud, responda { $word } (o { $alt }).
unmatched-to-cancel = Para cancelarla, responda { $word } (o { $alt }).
unmatched-partner-answers = El socio que envió la solicitud responde { $submit } (o { $submit_alt }) o { $cancel } (o { $cancel_alt }).
unmatched-customer-answers = El cliente responde { $accept } (o { $accept_alt }) o { $decline } (o { $decline_alt }).
unmatched-reply-here = Responda a esta dirección, sin cambiarla:
unmatched-not-linked = Su correo menciona la solicitud { $reference } en el asunto, pero no es una respuesta a ninguno de nuestros correos sobre esa solicitud. Por seguridad, solo podemos atender una respuesta directa a nuestro propio correo: busque nuestro correo sobre { $reference }, use el botón Responder de su programa de correo y no cambie la dirección de la que procede.
unmatched-wrong-state = Hemos recibido su respuesta sobre la solicitud { $reference }, pero la solicitud ya no espera esa respuesta.
unmatched-status = Su estado actual es: { $status }.
unmatched-may-send-new = Si todavía se necesita una Smart Account, el socio puede enviar una nueva solicitud.
unmatched-unknown-reference-named = No hemos encontrado la solicitud a la que se refiere su correo ({ $reference }). Compruebe la referencia o responda a nuestro propio correo sobre la solicitud con el botón Responder de su programa de correo.
unmatched-unknown-reference = No hemos encontrado la solicitud a la que se refiere su correo. Compruebe la referencia o responda a nuestro propio correo sobre la solicitud con el botón Responder de su programa de correo.
unmatched-other = No hemos podido vincular su correo a ninguna solicitud que esté esperando una respuesta.

## form_help

form-help-subject = Formulario de solicitud de Smart Account
form-help-intro = Para solicitar una Smart Account para un cliente, copie el formulario de abajo en un correo nuevo a la dirección siguiente, escriba los valores después de las etiquetas y envíelo:
form-help-fields = El nombre de la cuenta, el correo electrónico del cliente y el dominio de la cuenta son obligatorios; los demás campos son opcionales. Separe varios correos de usuarios con comas o escriba uno por línea. El idioma ({ $codes }) determina el idioma de nuestros correos. Le enviaremos un resumen para que lo compruebe antes de crear nada.
