# 简体中文。过长的段落按 38 个汉字折行。

## 所有邮件

hello = 您好！
automatic = 此邮件为系统自动发送。
questions = 如有疑问，{ $organization } 的工作人员将为您提供帮助：{ $contact }
colon = ：
support-help = 如需帮助，请在 Support Case Manager ({ $url }) 中创建支持案例，并选择“Software Licensing”选项。
thanks-for-message = 感谢您的来信。
what-next = 下一步：
what-happens-next = 接下来：
how-to-answer = 如何回复：
button-reply = 回复“{ $word }”
nothing-changed = 未做任何更改。
nothing-created-or-changed = 未创建或更改任何内容。
nothing-more-to-do = 您无需再做任何操作。
note-from = 来自 { $partner } 的备注：
users-to-be-given-access = 将获得访问权限的用户：
users-given-access = 以下用户已获得访问权限，并已分别收到邮件通知：
partner-told = 我们已通知 { $partner }。
language-name =
    { $code ->
        [en] 英语
        [fr] 法语
        [de] 德语
        [es] 西班牙语
        [it] 意大利语
        [pt] 葡萄牙语
        [ja] 日语
        [zh] 中文
       *[other] { $code }
    }

## 表单字段

field-reference = 参考编号
field-account-name = 帐户名称
field-customer-email = 客户电子邮件
field-account-domain = 帐户域
field-note-to-customer = 给客户的备注
field-user-emails = 用户电子邮件
field-note-to-users = 给用户的备注
field-partner-company = 合作伙伴公司
field-language = 语言
field-requested-by = 申请人
field-approved-by = 批准人
field-status = 状态
form-fields-help = 帐户名称、客户电子邮件和帐户域为必填项，其他字段为选填项。多个用户电子邮件请用逗号分隔，或每行填写一个。语言可以是以下代码之一：{ $codes }。

## 被拒表单的问题

problem-missing = 缺失：此字段为必填项
problem-too-long = 过长：{ $len } 个字符，最多 { $max } 个
problem-bad-email = “{ $value }”不是有效的电子邮件地址
problem-one-email-only = 请只填写一个地址（填写的是“{ $value }”）
problem-bad-domain = “{ $value }”不是有效的域名（例如 example.cn）
problem-too-many-users = 填写了 { $count } 个用户，最多 { $max } 个
problem-more-bad-emails = 另有 { $count } 个无效地址
problem-bad-language = “{ $value }”不是我们提供的语言：请填写以下代码之一：{ $codes }
problem-domain-busy = { $domain } 已有一个正在处理的申请 { $reference }；请回复该申请，或等待其关闭
problem-own-address = { $value } 是您自己的地址：客户和用户必须是其他人（合作伙伴不能批准自己的申请）
problem-desk-address = { $value } 是本服务台的地址：请填写个人的地址

## review

review-subject = 请核对您的申请 [{ $reference }]
review-intro = 感谢您提交 Smart Account 申请。在创建任何内容之前，请核对我们的理解是否正确。
review-no-note = （无）
review-no-users = （无）
review-if-right = 如果信息全部正确，请回复“{ $word }”（或“{ $alt }”）以提交申请。
review-if-not = 如果您不再需要此申请，请回复“{ $word }”（或“{ $alt }”）以取消。
review-reply-how = 请将该词写在回复的第一行。请使用邮件程序的“回复”按钮，并保持回复地址不变；该地址仅用于此申请：
review-if-wrong = 如有信息不正确，请回复“{ $word }”，然后用新邮件将更正后的新表单发送至：
review-when-submit = 提交后，系统将创建一个临时 Smart Account，并请客户在 { $acceptance_days } 天内接受。如果我们在 { $review_days } 天内未收到您的回复，此申请将过期，且不会创建任何内容。

## request_invalid

request-invalid-subject = 申请未被接受：请更正您的 Smart Account 申请
request-invalid-intro = 感谢您提交 Smart Account 申请。由于表单存在以下问题，我们无法接受：
request-invalid-nothing = 未创建任何内容，也未联系其他任何人。
request-invalid-next = 下一步：请按上述提示更正字段，重新填写下方的空白表单，并用新邮件发送至：

## request_complete

request-complete-subject = Smart Account 申请已完成 [{ $reference }]
request-complete-intro = 您的 Smart Account 申请 { $reference } 已完成：临时 Smart Account 已创建，正在等待客户接受。
request-complete-sent = 我们已向客户（{ $customer }）发送激活说明。客户须在 { $date }之前接受。
request-complete-when-accepts = 客户接受后，帐户将被激活，我们会通知您。
request-complete-users = 届时，您指定的用户将获得访问权限，并收到邮件通知：
request-complete-if-declines = 如果客户拒绝，或未在上述日期前接受，我们会通知您，您可以重新提交申请。
request-complete-nothing-to-do = 您现在无需任何操作。您可以提醒客户留意我们发出的参考编号为 { $reference } 的邮件。

## activation 与 reminder

activation-subject = 请激活您的 Smart Account [{ $reference }]
activation-asked = { $organization } 的 { $partner } 已请 { $desk } 为贵组织创建一个 Smart Account，并指定您为审批人。
activation-asked-us = { $organization } 的 { $partner } 已请我们为贵组织创建一个 Smart Account，并指定您为审批人。
activation-provisional = 该帐户已临时创建，只有在您接受后才会激活。请在 { $date }之前回复；逾期后申请将过期，且不会激活任何内容。
activation-to-accept = 如需激活帐户，请回复“{ $word }”（或“{ $alt }”）。
activation-to-decline = 如需拒绝，请回复“{ $word }”（或“{ $alt }”）。
activation-reply-how = 请将该词写在回复的第一行。请使用邮件程序的“回复”按钮，并保持回复地址不变；该地址仅用于此申请，发给服务台的新邮件无法与之关联：
activation-not-recognised = 如果您不了解此申请，请回复“{ $word }”，或不做任何操作：未经您的同意，帐户绝不会被激活。
reminder-subject = 提醒：请激活您的 Smart Account [{ $reference }]
reminder-intro = 特此提醒：以下 Smart Account 申请仍在等待您的回复。它将于 { $date }过期（还剩 { $days } 天）。
reminder-asked = { $organization } 的 { $partner } 已请 { $desk } 为贵组织创建此 Smart Account，并指定您为审批人。
reminder-asked-us = { $organization } 的 { $partner } 已请我们为贵组织创建此 Smart Account，并指定您为审批人。

## activated_partner、activated_customer、user_access

activated-partner-subject = Smart Account 已激活 [{ $reference }]
activated-partner-intro = 好消息：客户（{ $customer }）已接受您的申请 { $reference }，Smart Account 现已激活。
activated-partner-no-users = 申请中未指定用户，因此没有其他人获得访问权限。
activated-partner-done = 特此确认激活完成；您无需再做任何操作。
activated-customer-subject = 您的 Smart Account 已激活 [{ $reference }]
activated-customer-intro = 谢谢。我们已收到您的接受确认，以下 Smart Account 现已激活。
user-access-subject = 您已获得 Smart Account { $account } 的访问权限 [{ $reference }]
user-access-intro = 您（{ $recipient }）已获得以下 Smart Account 的访问权限。
user-access-sign-in = 下一步：请使用此地址登录 { $url } 以使用该帐户。
user-access-no-reply = 您无需回复此邮件。如果您认为误收了此邮件，请联系 { $customer }。

## declined、declined_customer、cancelled

declined-subject = Smart Account 申请已被拒绝 [{ $reference }]
declined-intro = 客户（{ $customer }）已拒绝您的 Smart Account 申请 { $reference }。
declined-closed = 该申请现已关闭：临时帐户不会被激活，也没有用户获得访问权限。
declined-next = 下一步：如果客户仍需要 Smart Account（例如在您与其沟通之后），您可以用新邮件为同一域名提交新申请，发送至：
declined-customer-subject = 您已拒绝该 Smart Account [{ $reference }]
declined-customer-intro = 我们已记录您拒绝了以下 Smart Account。该帐户不会被激活，也没有任何人获得访问权限。
declined-customer-told = 我们已通知 { $partner }。如果这是误操作，请让其重新提交申请。
cancelled-subject = Smart Account 申请已取消 [{ $reference }]
cancelled-by-desk = 您的 Smart Account 申请 { $reference } 已被服务台取消。未创建任何内容。
cancelled-reason = 原因：{ $reason }
cancelled-by-you = 按照您的要求，您的 Smart Account 申请 { $reference } 已取消。未创建任何内容，也未联系客户。
cancelled-next = 下一步：如需重新申请（例如更正信息后），请用新邮件将新的申请表单发送至：

## expired_customer、expired_partner、review_expired

expired-subject = Smart Account 申请已过期 [{ $reference }]
expired-customer-intro = 来自 { $partner } 的 Smart Account 申请 { $reference } 因未及时接受，已于 { $date }过期。
expired-customer-nothing = 未激活任何内容，也没有用户获得访问权限。我们将不再处理对此前有关此申请邮件的回复。
expired-customer-ask = 如果您仍需要此 Smart Account，请让 { $partner } 重新提交申请。
expired-partner-intro = 客户（{ $customer }）未及时接受您的 Smart Account 申请 { $reference }。该申请已于 { $date }过期。
expired-partner-nothing = 临时帐户未被激活，也没有用户获得访问权限。我们已通知客户。
expired-partner-next = 下一步：如果客户仍需要此 Smart Account，请用新邮件为同一域名（{ $domain }）提交新申请，发送至：
expired-partner-check = 建议先与客户确认其地址（{ $customer }）是否正确，以及能否收到我们的邮件。
review-expired-subject = Smart Account 申请已关闭：未提交 [{ $reference }]
review-expired-intro = 您的 Smart Account 申请 { $reference } 未在我们发出核对邮件后的 { $days } 天内提交，因此已关闭。未创建任何内容，也未联系客户。
review-expired-next = 下一步：如果仍需要该帐户，请用新邮件将新的申请表单发送至：

## undeliverable

undeliverable-subject = 激活邮件无法送达 [{ $reference }]
undeliverable-intro = 我们无法将您的 Smart Account 申请 { $reference } 的激活邮件送达客户地址：
undeliverable-reported = 收件方邮件系统报告：
undeliverable-closed = 由于客户无法收到激活说明，该申请已关闭。临时帐户不会被激活，也没有用户获得访问权限。
undeliverable-next = 下一步：请与客户核实其电子邮件地址，然后用新邮件以正确的地址提交新申请，发送至：

## not_authorized

not-authorized-subject = 申请未获授权
not-authorized-unknown-sender = 您的地址（{ $sender }）无权通过本服务台申请 Smart Account，因此我们未处理您的邮件。如果您认为应当有此权限，请联系贵公司的合作伙伴管理员。
not-authorized-not-partner = 只有发送申请 { $reference } 的合作伙伴才能提交或取消该申请，因此我们未处理来自 { $sender } 的邮件。如果您与该合作伙伴合作，请让其本人回复。
not-authorized-not-customer = 只有申请 { $reference } 中指定的客户才能接受或拒绝该申请，因此我们未处理来自 { $sender } 的邮件。如果您认为应由您审批此帐户，请联系提出申请的合作伙伴。
not-authorized-too-many-open = 您的地址（{ $sender }）已有 { $limit } 个正在处理的申请，已达到单个合作伙伴地址可同时拥有的上限，因此我们未创建新申请。待其中一些被接受、拒绝或关闭后，请重新发送表单。
not-authorized-daily-limit = 您的地址（{ $sender }）在过去 24 小时内已发送 { $limit } 个新申请，已达到我们每天受理的上限，因此我们未创建新申请。请明天重新发送表单。
not-authorized-dmarc-about = 您关于申请 { $reference } 的邮件声称来自 { $sender }，但我们的邮件服务器无法确认这一点（该邮件未通过发件人域名的 DMARC 检查），因此我们未予处理。如果邮件确为您所发，请通过您常用的邮箱重新发送，中间不要经过转发服务；如果不是您发送的，您无需任何操作。
not-authorized-dmarc = 您的邮件声称来自 { $sender }，但我们的邮件服务器无法确认这一点（该邮件未通过发件人域名的 DMARC 检查），因此我们未予处理。如果邮件确为您所发，请通过您常用的邮箱重新发送，中间不要经过转发服务；如果不是您发送的，您无需任何操作。
not-authorized-other = 您的地址（{ $sender }）无权执行您邮件中要求的操作，因此我们未予处理。

## unmatched_reply

unmatched-subject = 我们无法处理您的回复
unmatched-no-command-about = 我们已收到您关于申请 { $reference } 的回复，但未能从中找到答复。请在引用内容上方的第一行写上以下其中一个词，再回复一次：
unmatched-no-command = 我们已收到您的回复，但未能从中找到答复。请在引用内容上方的第一行写上以下其中一个词，再回复一次：
unmatched-ambiguous-about = 我们已收到您关于申请 { $reference } 的回复，但其中同时包含两种可能的答复，我们无法判断您的意图。请在引用内容上方的第一行只写以下其中一个词，再回复一次：
unmatched-ambiguous = 我们已收到您的回复，但其中同时包含两种可能的答复，我们无法判断您的意图。请在引用内容上方的第一行只写以下其中一个词，再回复一次：
unmatched-to-submit = 如需提交申请，请回复“{ $word }”（或“{ $alt }”）。
unmatched-to-cancel = 如需取消，请回复“{ $word }”（或“{ $alt }”）。
unmatched-partner-answers = 发送申请的合作伙伴回复“{ $submit }”（或“{ $submit_alt }”）或“{ $cancel }”（或“{ $cancel_alt }”）。
unmatched-customer-answers = 客户回复“{ $accept }”（或“{ $accept_alt }”）或“{ $decline }”（或“{ $decline_alt }”）。
unmatched-reply-here = 请回复至以下地址，并保持地址不变：
unmatched-not-linked = 您的邮件主题中提到了申请 { $reference }，但它并不是对我们有关该申请的邮件的回复。出于安全考虑，我们只处理对我们邮件的直接回复：请找到我们有关 { $reference } 的邮件，使用邮件程序的“回复”按钮，并保持发件地址不变。
unmatched-wrong-state = 我们已收到您关于申请 { $reference } 的回复，但该申请已不再等待此答复。
unmatched-status = 其当前状态为：{ $status }。
unmatched-may-send-new = 如果仍需要 Smart Account，合作伙伴可以提交新申请。
unmatched-unknown-reference-named = 我们找不到您的邮件所指的申请（{ $reference }）。请核对参考编号，或使用邮件程序的“回复”按钮回复我们有关该申请的邮件。
unmatched-unknown-reference = 我们找不到您的邮件所指的申请。请核对参考编号，或使用邮件程序的“回复”按钮回复我们有关该申请的邮件。
unmatched-other = 我们无法将您的邮件与等待答复的申请关联起来。

## form_help

form-help-subject = Smart Account 申请表
form-help-intro = 如需为客户申请 Smart Account，请将下方表单复制到一封新邮件中，在各标签后填写内容，然后发送至以下地址：
form-help-fields = 帐户名称、客户电子邮件和帐户域为必填项，其他字段为选填项。多个用户电子邮件请用逗号分隔，或每行填写一个。语言（{ $codes }）决定我们邮件所用的语言。在创建任何内容之前，我们会先发送一份摘要供您核对。
