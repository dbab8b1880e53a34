# 日本語（です・ます調）。一文が長い段落は 38 文字ごとに折り返されます。

## すべてのメール

hello = ご担当者様
automatic = このメールは自動送信されています。
questions = ご不明な点がございましたら、{ $organization } の担当者がお手伝いします：{ $contact }
colon = ：
support-help = サポートが必要な場合は、Support Case Manager ({ $url }) でケースを作成し、「Software Licensing」オプションを選択してください。
thanks-for-message = ご連絡ありがとうございます。
what-next = 次の手順：
what-happens-next = 今後の流れ：
how-to-answer = ご返信の方法：
button-reply = 「{ $word }」と返信
nothing-changed = 何も変更されていません。
nothing-created-or-changed = 何も作成・変更されていません。
nothing-more-to-do = これ以上の操作は必要ありません。
note-from = { $partner } からのメモ：
users-to-be-given-access = アクセス権が付与されるユーザー：
users-given-access = 以下のユーザーにアクセス権が付与され、それぞれにメールで通知されました：
partner-told = { $partner } にもお知らせしました。
language-name =
    { $code ->
        [en] 英語
        [fr] フランス語
        [de] ドイツ語
        [es] スペイン語
        [it] イタリア語
        [pt] ポルトガル語
        [ja] 日本語
        [zh] 中国語
       *[other] { $code }
    }

## フォームの項目

field-reference = 参照番号
field-account-name = アカウント名
field-customer-email = 顧客のメールアドレス
field-account-domain = アカウントドメイン
field-note-to-customer = 顧客へのメモ
field-user-emails = ユーザーのメールアドレス
field-note-to-users = ユーザーへのメモ
field-partner-company = パートナー企業
field-language = 言語
field-requested-by = 依頼者
field-approved-by = 承認者
field-status = ステータス
form-fields-help = アカウント名、顧客のメールアドレス、アカウントドメインは必須です。その他の項目は任意です。複数のユーザーのメールアドレスは、カンマで区切るか 1 行に 1 つずつ記入してください。言語には { $codes } のいずれかを指定できます。

## 受け付けできないフォームの問題

problem-missing = 未入力：この項目は必須です
problem-too-long = 長すぎます：{ $len } 文字（最大 { $max } 文字）
problem-bad-email = 「{ $value }」は有効なメールアドレスではありません
problem-one-email-only = メールアドレスを 1 つだけ指定してください（「{ $value }」と記入されています）
problem-bad-domain = 「{ $value }」は有効なドメイン名ではありません（例：example.jp）
problem-too-many-users = { $count } 人のユーザーが指定されています（最大 { $max } 人）
problem-more-bad-emails = ほかに無効なアドレスが { $count } 件あります
problem-bad-language = 「{ $value }」は対応している言語ではありません：{ $codes } のいずれかを指定してください
problem-domain-busy = { $domain } には処理中のリクエスト { $reference } がすでにあります。そのリクエストに返信するか、終了するまでお待ちください
problem-own-address = { $value } はご自身のアドレスです：顧客とユーザーには別の方を指定してください（パートナーがご自身のリクエストを承認することはできません）
problem-desk-address = { $value } はこの窓口のアドレスです：個人のアドレスを指定してください

## review

review-subject = リクエスト内容のご確認 [{ $reference }]
review-intro = Smart Account のリクエストをいただき、ありがとうございます。作成を進める前に、内容を正しく理解しているかご確認ください。
review-no-note = （なし）
review-no-users = （なし）
review-if-right = 内容に問題がなければ、「{ $word }」（または「{ $alt }」）と返信してリクエストを送信してください。
review-if-not = リクエストが不要になった場合は、「{ $word }」（または「{ $alt }」）と返信して取り消してください。
review-reply-how = 返信の 1 行目にこの語をご記入ください。メールソフトの「返信」ボタンを使い、返信先アドレスは変更しないでください。このアドレスはこのリクエスト専用です：
review-if-wrong = 内容に誤りがある場合は、「{ $word }」と返信したうえで、修正したフォームを新しいメールで次のアドレスにお送りください：
review-when-submit = 送信すると仮の Smart Account が作成され、顧客に { $acceptance_days } 日以内の承認が依頼されます。{ $review_days } 日以内にご返信がない場合、このリクエストは期限切れとなり、何も作成されません。

## request_invalid

request-invalid-subject = リクエストを受け付けできませんでした：Smart Account のリクエストを修正してください
request-invalid-intro = Smart Account のリクエストをいただき、ありがとうございます。フォームに次の問題があるため、受け付けできませんでした：
request-invalid-nothing = 何も作成されておらず、ほかの方への連絡も行っていません。
request-invalid-next = 次の手順：下の空欄のフォームに、上記の項目を修正してもう一度ご記入のうえ、新しいメールで次のアドレスにお送りください：

## request_complete

request-complete-subject = Smart Account のリクエストが完了しました [{ $reference }]
request-complete-intro = Smart Account のリクエスト { $reference } が完了しました。仮の Smart Account が作成され、顧客の承認待ちとなっています。
request-complete-sent = 顧客（{ $customer }）に有効化の手順をお送りしました。顧客の承認期限は { $date }です。
request-complete-when-accepts = 顧客が承認するとアカウントが有効になり、お知らせします。
request-complete-users = その際、ご指定のユーザーにアクセス権が付与され、メールで通知されます：
request-complete-if-declines = 顧客が拒否した場合、または上記の期限までに承認しなかった場合はお知らせします。その後、新しいリクエストをお送りいただけます。
request-complete-nothing-to-do = 現時点でのお手続きは不要です。参照番号 { $reference } のメールが届くことを、顧客にお伝えいただくとスムーズです。

## activation と reminder

activation-subject = Smart Account を有効化してください [{ $reference }]
activation-asked = { $organization } の { $partner } から { $desk } に、貴社の Smart Account の作成依頼があり、承認者としてあなたが指定されています。
activation-asked-us = { $organization } の { $partner } から当窓口に、貴社の Smart Account の作成依頼があり、承認者としてあなたが指定されています。
activation-provisional = アカウントは仮の状態で作成されています。承認いただいた時点で有効になります。{ $date }までにご返信ください。この日時を過ぎるとリクエストは期限切れとなり、何も有効化されません。
activation-to-accept = アカウントを有効化するには、「{ $word }」（または「{ $alt }」）と返信してください。
activation-to-decline = 拒否するには、「{ $word }」（または「{ $alt }」）と返信してください。
activation-reply-how = 返信の 1 行目にこの語をご記入ください。メールソフトの「返信」ボタンを使い、返信先アドレスは変更しないでください。このアドレスはこのリクエスト専用で、窓口宛ての新しいメールはこのリクエストに関連付けられません：
activation-not-recognised = このリクエストにお心当たりがない場合は、「{ $word }」と返信するか、何もしないでください。ご承認なしにアカウントが有効化されることはありません。
reminder-subject = リマインダー：Smart Account を有効化してください [{ $reference }]
reminder-intro = 以下の Smart Account のリクエストは、まだご返信をお待ちしています。有効期限は { $date }です（残り { $days } 日）。
reminder-asked = { $organization } の { $partner } から { $desk } に、貴社のこの Smart Account の作成依頼があり、承認者としてあなたが指定されています。
reminder-asked-us = { $organization } の { $partner } から当窓口に、貴社のこの Smart Account の作成依頼があり、承認者としてあなたが指定されています。

## activated_partner、activated_customer、user_access

activated-partner-subject = Smart Account が有効になりました [{ $reference }]
activated-partner-intro = 顧客（{ $customer }）がリクエスト { $reference } を承認し、Smart Account が有効になりました。
activated-partner-no-users = リクエストにユーザーが指定されていなかったため、ほかの方にはアクセス権を付与していません。
activated-partner-done = 以上で有効化は完了です。これ以上の操作は必要ありません。
activated-customer-subject = Smart Account が有効になりました [{ $reference }]
activated-customer-intro = ありがとうございます。ご承認を受け付け、以下の Smart Account が有効になりました。
user-access-subject = Smart Account { $account } へのアクセス権が付与されました [{ $reference }]
user-access-intro = あなた（{ $recipient }）に、以下の Smart Account へのアクセス権が付与されました。
user-access-sign-in = 次のステップ：このアドレスで { $url } にサインインすると、アカウントを利用できます。
user-access-no-reply = このメールへの返信は不要です。お心当たりがない場合は、{ $customer } にお問い合わせください。

## declined、declined_customer、cancelled

declined-subject = Smart Account のリクエストが拒否されました [{ $reference }]
declined-intro = 顧客（{ $customer }）が Smart Account のリクエスト { $reference } を拒否しました。
declined-closed = このリクエストは終了しました。仮のアカウントは有効化されず、どのユーザーにもアクセス権は付与されていません。
declined-next = 次の手順：顧客とご相談のうえ、引き続き Smart Account が必要な場合は、同じドメインの新しいリクエストを新しいメールで次のアドレスにお送りください：
declined-customer-subject = Smart Account の拒否を受け付けました [{ $reference }]
declined-customer-intro = 以下の Smart Account を拒否されたことを記録しました。このアカウントは有効化されず、どなたにもアクセス権は付与されていません。
declined-customer-told = { $partner } にもお知らせしました。誤って拒否された場合は、新しいリクエストを送るようご依頼ください。
cancelled-subject = Smart Account のリクエストが取り消されました [{ $reference }]
cancelled-by-desk = Smart Account のリクエスト { $reference } は窓口により取り消されました。何も作成されていません。
cancelled-reason = 理由：{ $reason }
cancelled-by-you = ご依頼のとおり、Smart Account のリクエスト { $reference } を取り消しました。何も作成されておらず、顧客への連絡も行っていません。
cancelled-next = 次の手順：内容を修正するなどして改めて依頼する場合は、新しいリクエストフォームを新しいメールで次のアドレスにお送りください：

## expired_customer、expired_partner、review_expired

expired-subject = Smart Account のリクエストが期限切れになりました [{ $reference }]
expired-customer-intro = { $partner } からの Smart Account のリクエスト { $reference } は、期限内に承認されなかったため、{ $date }に期限切れとなりました。
expired-customer-nothing = 何も有効化されておらず、どのユーザーにもアクセス権は付与されていません。このリクエストに関する以前のメールへのご返信は、今後は処理されません。
expired-customer-ask = 引き続きこの Smart Account が必要な場合は、新しいリクエストを送るよう { $partner } にご依頼ください。
expired-partner-intro = 顧客（{ $customer }）が Smart Account のリクエスト { $reference } を期限内に承認しなかったため、{ $date }に期限切れとなりました。
expired-partner-nothing = 仮のアカウントは有効化されず、どのユーザーにもアクセス権は付与されていません。顧客にもお知らせしました。
expired-partner-next = 次の手順：顧客が引き続きこの Smart Account を希望する場合は、同じドメイン（{ $domain }）の新しいリクエストを新しいメールで次のアドレスにお送りください：
expired-partner-check = 事前に、顧客のアドレス（{ $customer }）が正しいこと、当窓口からのメールが届いていることを顧客にご確認いただくとよいでしょう。
review-expired-subject = Smart Account のリクエストを終了しました（未送信） [{ $reference }]
review-expired-intro = Smart Account のリクエスト { $reference } は、確認メールの送付から { $days } 日以内に送信されなかったため、終了しました。何も作成されておらず、顧客への連絡も行っていません。
review-expired-next = 次の手順：引き続きアカウントが必要な場合は、新しいリクエストフォームを新しいメールで次のアドレスにお送りください：

## undeliverable

undeliverable-subject = 有効化のメールを配信できませんでした [{ $reference }]
undeliverable-intro = Smart Account のリクエスト { $reference } の有効化メールを、次の顧客アドレスに配信できませんでした：
undeliverable-reported = 受信側のメールシステムからの報告：
undeliverable-closed = 顧客が有効化の手順を受け取れないため、リクエストを終了しました。仮のアカウントは有効化されず、どのユーザーにもアクセス権は付与されていません。
undeliverable-next = 次の手順：顧客にメールアドレスをご確認のうえ、正しいアドレスで新しいリクエストを新しいメールで次のアドレスにお送りください：

## not_authorized

not-authorized-subject = このリクエストは処理できません
not-authorized-unknown-sender = ご使用のアドレス（{ $sender }）には、この窓口で Smart Account を依頼する権限がないため、メッセージは処理していません。権限があるはずとお考えの場合は、貴社のパートナー管理者にお問い合わせください。
not-authorized-not-partner = リクエスト { $reference } を送信または取り消しできるのは、そのリクエストを送ったパートナーのみです。そのため、{ $sender } からのメッセージは処理していません。このパートナーと協力されている場合は、パートナーご本人から返信するようご依頼ください。
not-authorized-not-customer = リクエスト { $reference } を承認または拒否できるのは、リクエストで指定された顧客のみです。そのため、{ $sender } からのメッセージは処理していません。ご自身がこのアカウントを承認すべきとお考えの場合は、依頼したパートナーにお問い合わせください。
not-authorized-too-many-open = ご使用のアドレス（{ $sender }）には処理中のリクエストがすでに { $limit } 件あり、1 つのパートナーアドレスで同時に扱える上限に達しているため、新しいリクエストは作成していません。いくつかが承認、拒否、または終了した後で、フォームを再送してください。
not-authorized-daily-limit = ご使用のアドレス（{ $sender }）から過去 24 時間に { $limit } 件の新しいリクエストが送信されており、1 日に受け付ける上限に達しているため、新しいリクエストは作成していません。明日、フォームを再送してください。
not-authorized-dmarc-about = リクエスト { $reference } に関するメッセージは { $sender } からの送信とされていますが、当方のメールサーバーでは確認できませんでした（送信者ドメインの DMARC チェックに合格しませんでした）。そのため処理していません。ご自身で送信された場合は、転送サービスを介さず、普段お使いのメールアカウントから再送してください。お心当たりがない場合は、何もしていただく必要はありません。
not-authorized-dmarc = このメッセージは { $sender } からの送信とされていますが、当方のメールサーバーでは確認できませんでした（送信者ドメインの DMARC チェックに合格しませんでした）。そのため処理していません。ご自身で送信された場合は、転送サービスを介さず、普段お使いのメールアカウントから再送してください。お心当たりがない場合は、何もしていただく必要はありません。
not-authorized-other = ご使用のアドレス（{ $sender }）には、メッセージでご依頼の操作を行う権限がないため、処理していません。

## unmatched_reply

unmatched-subject = ご返信を処理できませんでした
unmatched-no-command-about = リクエスト { $reference } についてのご返信を受け取りましたが、回答を読み取れませんでした。引用部分より上の 1 行目に、次のいずれかの語を記入して再度ご返信ください：
unmatched-no-command = ご返信を受け取りましたが、回答を読み取れませんでした。引用部分より上の 1 行目に、次のいずれかの語を記入して再度ご返信ください：
unmatched-ambiguous-about = リクエスト { $reference } についてのご返信を受け取りましたが、両方の回答が含まれていたため、どちらのご意向か判断できませんでした。引用部分より上の 1 行目に、次のいずれか一方の語だけを記入して再度ご返信ください：
unmatched-ambiguous = ご返信を受け取りましたが、両方の回答が含まれていたため、どちらのご意向か判断できませんでした。引用部分より上の 1 行目に、次のいずれか一方の語だけを記入して再度ご返信ください：
unmatched-to-submit = リクエストを送信するには、「{ $word }」（または「{ $alt }」）と返信してください。
unmatched-to-cancel = 取り消すには、「{ $word }」（または「{ $alt }」）と返信してください。
unmatched-partner-answers = リクエストを送ったパートナーは、「{ $submit }」（または「{ $submit_alt }」）か「{ $cancel }」（または「{ $cancel_alt }」）で回答します。
unmatched-customer-answers = 顧客は、「{ $accept }」（または「{ $accept_alt }」）か「{ $decline }」（または「{ $decline_alt }」）で回答します。
unmatched-reply-here = 次のアドレスに、変更せずにご返信ください：
unmatched-not-linked = お送りいただいたメールの件名にはリクエスト { $reference } が記載されていますが、このリクエストに関する当方のメールへの返信ではありません。セキュリティのため、当方のメールへの直接の返信にのみ対応しています。{ $reference } に関する当方のメールを探し、メールソフトの「返信」ボタンを使って、送信元のアドレスを変更せずにご返信ください。
unmatched-wrong-state = リクエスト { $reference } についてのご返信を受け取りましたが、このリクエストはすでにその回答を待っていません。
unmatched-status = 現在のステータス：{ $status }
unmatched-may-send-new = 引き続き Smart Account が必要な場合は、パートナーが新しいリクエストを送ることができます。
unmatched-unknown-reference-named = お送りいただいたメールが指すリクエスト（{ $reference }）が見つかりませんでした。参照番号をご確認いただくか、メールソフトの「返信」ボタンで、このリクエストに関する当方のメールにご返信ください。
unmatched-unknown-reference = お送りいただいたメールが指すリクエストが見つかりませんでした。参照番号をご確認いただくか、メールソフトの「返信」ボタンで、このリクエストに関する当方のメールにご返信ください。
unmatched-other = お送りいただいたメールを、回答待ちのリクエストに関連付けられませんでした。

## form_help

form-help-subject = Smart Account リクエストフォーム
form-help-intro = 顧客の Smart Account を依頼するには、下のフォームを新しいメールにコピーし、各項目の後に値を記入して、次のアドレスに送信してください：
form-help-fields = アカウント名、顧客のメールアドレス、アカウントドメインは必須です。その他の項目は任意です。複数のユーザーのメールアドレスは、カンマで区切るか 1 行に 1 つずつ記入してください。言語（{ $codes }）によって、当方からのメールの言語が決まります。作成を進める前に、確認用の概要をお送りします。
