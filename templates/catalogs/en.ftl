# English: the reference catalog. Every other catalog has every message here,
# with the same variables ($name); check-config says which one lacks what.
# A message is a paragraph: lines are kept as written, and a text paragraph
# with a line longer than 76 characters is rewrapped.

## Every email

hello = Hello,
automatic = This is an automatic message.
questions = Questions? A person at { $organization } will help: { $contact }
# Between a label and its value ("Account name: Acme").
colon = :
support-help =
    If you need help, open a case in Support Case Manager
    ({ $url }) and choose the
    Software Licensing option.
thanks-for-message = Thank you for your message.
what-next = What to do next:
what-happens-next = What happens next:
how-to-answer = How to answer:
button-reply = Reply { $word }
nothing-changed = Nothing has changed.
nothing-created-or-changed = Nothing has been created or changed.
nothing-more-to-do = You do not need to do anything more.
note-from = Note from { $partner }:
users-to-be-given-access = Users to be given access:
users-given-access = These users have been given access, and each has been told by email:
partner-told = We have let { $partner } know.
language-name =
    { $code ->
        [en] English
        [fr] French
        [de] German
        [es] Spanish
        [it] Italian
        [pt] Portuguese
        [ja] Japanese
        [zh] Chinese
       *[other] { $code }
    }

## The form's fields, as the form and the summaries write them

field-reference = Reference
field-account-name = Account name
field-customer-email = Customer email
field-account-domain = Account domain
field-note-to-customer = Note to customer
field-user-emails = User emails
field-note-to-users = Note to users
field-partner-company = Partner company
field-language = Language
field-requested-by = Requested by
field-approved-by = Approved by
field-status = Status
form-fields-help =
    Account name, Customer email and Account domain are required; the
    other fields are optional. Separate several user emails with commas
    or put one per line. Language can be one of { $codes }.

## A refused form's problems, field by field

problem-missing = missing: this field is required
problem-too-long = too long: { $len } characters, at most { $max }
problem-bad-email = "{ $value }" is not a valid email address
problem-one-email-only = give exactly one address (found "{ $value }")
problem-bad-domain = "{ $value }" is not a valid domain name (like example.com)
problem-too-many-users = { $count } users listed, at most { $max }
problem-more-bad-emails = and { $count } more invalid addresses
problem-bad-language = "{ $value }" is not a language we offer: write one of { $codes }
problem-domain-busy = { $domain } already has a request in progress, { $reference }; answer that request, or wait until it is closed
problem-own-address = { $value } is your own address: the customer and the users must be other people (a partner cannot approve their own request)
problem-desk-address = { $value } is this desk's own address: give the address of a person

## review

review-subject = Review your request [{ $reference }]
review-intro =
    Thank you for your Smart Account request. Before anything is created,
    please check that we have understood it correctly.
review-no-note = (none)
review-no-users = (none)
review-if-right =
    If everything is right, reply { $word } (or { $alt }) to submit the
      request.
review-if-not = If you no longer want it, reply { $word } (or { $alt }) to cancel it.
review-reply-how =
    Write the word on the first line of your reply. Please use your mail
    program's Reply button and keep the reply address as it is; it is
    unique to this request:
review-if-wrong =
    If something is wrong, reply { $word }, then send a new, corrected form
    in a new email to:
review-when-submit =
    When you submit, a provisional Smart Account is created and the
    customer is asked to accept it within { $acceptance_days } days.
    If we receive no answer from you within { $review_days } days,
    this request expires and nothing is created.

## request_invalid

request-invalid-subject = Request not accepted: please correct your Smart Account request
request-invalid-intro =
    Thank you for your Smart Account request. We could not accept it,
    because the form has the following problems:
request-invalid-nothing = Nothing has been created, and no one else has been contacted.
request-invalid-next =
    What to do next: fill in the blank form below again, correcting the
    fields listed above, and send it in a new email to:

## request_complete

request-complete-subject = Smart Account request complete [{ $reference }]
request-complete-intro =
    Your Smart Account request { $reference } is complete: your provisional
    Smart Account has been created, pending customer acceptance.
request-complete-sent =
    We have sent the customer ({ $customer })
    the activation instructions. The customer has until
    { $date } to accept.
request-complete-when-accepts =
    When the customer accepts, the account becomes active and we will
      let you know.
request-complete-users = The users you named will then be given access and told by email:
request-complete-if-declines =
    If the customer declines, or does not accept by the date above, we
      will let you know, and you may send a new request.
request-complete-nothing-to-do =
    You do not need to do anything now. You may want to tell the customer
    to look out for our email with the reference { $reference }.

## activation and reminder

activation-subject = Activate your Smart Account [{ $reference }]
activation-asked =
    { $partner }, of { $organization }, has asked { $desk } to create a Smart Account for
    your organization and named you as the person who approves it.
activation-asked-us =
    { $partner }, of { $organization }, has asked us to create a Smart Account for
    your organization and named you as the person who approves it.
activation-provisional =
    The account has been created provisionally. It becomes active only
    when you accept it. Please answer by { $date }; after
    that time the request expires and nothing is activated.
activation-to-accept = To activate the account, reply { $word } (or { $alt }).
activation-to-decline = To refuse it, reply { $word } (or { $alt }).
activation-reply-how =
    Write the word on the first line of your reply. Please use your mail
    program's Reply button and keep the reply address as it is; it is
    unique to this request, and a new email to the desk cannot be linked
    to it:
activation-not-recognised =
    If you do not recognise this request, reply { $word }, or simply do
    nothing: the account is never activated without your acceptance.
reminder-subject = Reminder: activate your Smart Account [{ $reference }]
reminder-intro =
    This is a reminder: the Smart Account request below is still waiting
    for your answer. It expires on { $date }
    ({ $days ->
        [one] { $days } day
       *[other] { $days } days
    } left).
reminder-asked =
    { $partner }, of { $organization }, asked { $desk } to create this Smart Account for
    your organization and named you as the person who approves it.
reminder-asked-us =
    { $partner }, of { $organization }, asked us to create this Smart Account for
    your organization and named you as the person who approves it.

## activated_partner, activated_customer, user_access

activated-partner-subject = Smart Account activated [{ $reference }]
activated-partner-intro =
    Good news: the customer ({ $customer }) has accepted
    your request { $reference }, and the Smart Account is now active.
activated-partner-no-users = No users were named in the request, so no one else was given access.
activated-partner-done = This confirms the activation; you do not need to do anything more.
activated-customer-subject = Your Smart Account is active [{ $reference }]
activated-customer-intro =
    Thank you. We have received your acceptance, and the Smart Account
    below is now active.
user-access-subject = You have been given access to the Smart Account { $account } [{ $reference }]
user-access-intro =
    You ({ $recipient }) have been given access to the Smart Account
    below.
user-access-sign-in =
    Next step: sign in at { $url } with this address to use
    the account.
user-access-no-reply =
    You do not need to reply to this email. If you think you have received
    it by mistake, please contact { $customer }.

## declined, declined_customer, cancelled

declined-subject = Smart Account request declined [{ $reference }]
declined-intro =
    The customer ({ $customer }) has declined your
    Smart Account request { $reference }.
declined-closed =
    The request is now closed: the provisional account will not be
    activated, and no users were given access.
declined-next =
    What to do next: if the customer still needs a Smart Account, for
    example once you have discussed it with them, you may send a new
    request for the same domain in a new email to:
declined-customer-subject = You declined the Smart Account [{ $reference }]
declined-customer-intro =
    We have recorded that you declined the Smart Account below. It will
    not be activated, and nobody has been given access.
declined-customer-told =
    We have let { $partner } know. If this was a mistake,
    ask them to send a new request.
cancelled-subject = Smart Account request cancelled [{ $reference }]
cancelled-by-desk =
    Your Smart Account request { $reference } has been cancelled by the
    desk. Nothing was created.
cancelled-reason = Reason: { $reason }
cancelled-by-you =
    As you asked, your Smart Account request { $reference } has been
    cancelled. Nothing was created and the customer was not contacted.
cancelled-next =
    What to do next: to ask again, for example with corrected details,
    send a new request form in a new email to:

## expired_customer, expired_partner, review_expired

expired-subject = Smart Account request expired [{ $reference }]
expired-customer-intro =
    The Smart Account request { $reference } from { $partner }
    expired on { $date }, because it was not accepted in
    time.
expired-customer-nothing =
    Nothing was activated, and no users were given access. Replies to our
    earlier emails about this request will no longer be acted on.
expired-customer-ask =
    If you still want this Smart Account, please ask
    { $partner }
    to send a new request.
expired-partner-intro =
    The customer ({ $customer }) did not accept your
    Smart Account request { $reference } in time. It expired on
    { $date }.
expired-partner-nothing =
    The provisional account was not activated, and no users were given
    access. We have told the customer.
expired-partner-next =
    What to do next: if the customer still wants this Smart Account, send
    a new request for the same domain ({ $domain })
    in a new email to:
expired-partner-check =
    It may help to check with the customer first that their address
    ({ $customer }) is right and that our emails reach them.
review-expired-subject = Smart Account request closed: not submitted [{ $reference }]
review-expired-intro =
    Your Smart Account request { $reference } was not submitted within
    { $days } days of our review email, so it has been closed.
    Nothing was created and the customer was not contacted.
review-expired-next =
    What to do next: if the account is still needed, send a new request
    form in a new email to:

## undeliverable

undeliverable-subject = Activation email could not be delivered [{ $reference }]
undeliverable-intro =
    We could not deliver the activation email for your Smart Account
    request { $reference } to the customer address:
undeliverable-reported = The receiving mail system reported:
undeliverable-closed =
    Because the customer cannot receive the activation instructions, the
    request has been closed. The provisional account will not be
    activated, and no users were given access.
undeliverable-next =
    What to do next: check the customer's email address with the customer,
    then send a new request with the correct address in a new email to:

## not_authorized

not-authorized-subject = Request not authorized
not-authorized-unknown-sender =
    Your address ({ $sender }) is not allowed to request Smart Accounts
    through this desk, so we have not acted on your message. If you think
    it should be, please contact your partner administrator.
not-authorized-not-partner =
    Only the partner who sent request { $reference } can submit or cancel
    it, so we have not acted on your message from
    { $sender }. If you work with that partner, please ask them to reply
    instead.
not-authorized-not-customer =
    Only the customer named in request { $reference } can accept or decline
    it, so we have not acted on your message from
    { $sender }. If you think you should approve this account, please
    contact the partner who requested it.
not-authorized-too-many-open =
    Your address ({ $sender }) already has { $limit } requests in progress,
    the most one partner address may have at once, so we have not created
    a new one. Once some of them are accepted, declined or closed, please
    send your form again.
not-authorized-daily-limit =
    Your address ({ $sender }) has sent { $limit } new requests in the last
    24 hours, the most we take in a day, so we have not created a new one.
    Please send your form again tomorrow.
not-authorized-dmarc-about =
    Your message about request { $reference } says it comes from { $sender },
    but our mail server could not confirm that it does (it did not pass the
    sender domain's DMARC check), so we have not acted on it. If you sent
    it, please send it again from your usual mail account, without a
    forwarding service in between; if you did not, you need do nothing.
not-authorized-dmarc =
    Your message says it comes from { $sender },
    but our mail server could not confirm that it does (it did not pass the
    sender domain's DMARC check), so we have not acted on it. If you sent
    it, please send it again from your usual mail account, without a
    forwarding service in between; if you did not, you need do nothing.
not-authorized-other =
    Your address ({ $sender }) is not allowed to do what your message
    asked, so we have not acted on it.

## unmatched_reply

unmatched-subject = We could not process your reply
unmatched-no-command-about =
    We received your reply about request { $reference },
    but we could not find an answer in it. Please reply again with one of
    these words on the first line, above any quoted text:
unmatched-no-command =
    We received your reply,
    but we could not find an answer in it. Please reply again with one of
    these words on the first line, above any quoted text:
unmatched-ambiguous-about =
    We received your reply about request { $reference },
    but it contains both possible answers, so we could not tell which one
    you meant. Please reply again with only one of these words on the
    first line, above any quoted text:
unmatched-ambiguous =
    We received your reply,
    but it contains both possible answers, so we could not tell which one
    you meant. Please reply again with only one of these words on the
    first line, above any quoted text:
unmatched-to-submit = To submit the request, reply { $word } (or { $alt }).
unmatched-to-cancel = To cancel it, reply { $word } (or { $alt }).
unmatched-partner-answers =
    The partner who sent the request answers { $submit } (or { $submit_alt }) or
      { $cancel } (or { $cancel_alt }).
unmatched-customer-answers = The customer answers { $accept } (or { $accept_alt }) or { $decline } (or { $decline_alt }).
unmatched-reply-here = Please reply to this address, keeping it as it is:
unmatched-not-linked =
    Your email names request { $reference } in its subject, but it is not
    a reply to one of our emails about that request. For security, we can
    only act on a direct reply to our own email: please find our email
    about { $reference }, use your mail program's Reply button, and keep
    the address it came from as it is.
unmatched-wrong-state =
    We received your reply about request { $reference }, but the request
    is no longer waiting for that answer.
unmatched-status = Its current status is: { $status }.
unmatched-may-send-new =
    If a Smart Account is still needed, the partner may send a new
    request.
unmatched-unknown-reference-named =
    We could not find the request your email refers to ({ $reference }).
    Please check the reference, or answer our own email about the request
    with your mail program's Reply button.
unmatched-unknown-reference =
    We could not find the request your email refers to.
    Please check the reference, or answer our own email about the request
    with your mail program's Reply button.
unmatched-other =
    We could not link your email to a request that is waiting for an
    answer.

## form_help

form-help-subject = Smart Account request form
form-help-intro =
    To request a Smart Account for a customer, copy the form below into
    a new email to the address below, write the values after the labels,
    and send it:
form-help-fields =
    Account name, Customer email and Account domain are required; the
    other fields are optional. Separate several user emails with commas
    or put one per line. Language ({ $codes }) sets the language of our
    emails. We will send you a summary to check before anything is
    created.
