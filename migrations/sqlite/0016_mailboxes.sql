-- Every cap and limit counts a mailbox, not a spelling (SPEC §4): the
-- address lower-cased (as stored) without its +tag. The outbox keeps the
-- recipient's mailbox for the emails sent in answer to mail (the sweep's
-- notices have none: they are never capped), the requests their partner's.
ALTER TABLE outbox ADD COLUMN mailbox TEXT;
DROP INDEX outbox_refusals;
CREATE INDEX outbox_mailbox ON outbox(mailbox, created_at) WHERE mailbox IS NOT NULL;
UPDATE outbox SET mailbox = CASE WHEN instr(recipient, '+') > 0
        THEN substr(recipient, 1, instr(recipient, '+') - 1) || substr(recipient, instr(recipient, '@'))
        ELSE recipient END
    WHERE plan IS NULL AND recipient <> 'erased' AND created_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-2 days');
ALTER TABLE requests ADD COLUMN partner_mailbox TEXT NOT NULL DEFAULT '';
UPDATE requests SET partner_mailbox = CASE WHEN instr(partner_email, '+') > 0
        THEN substr(partner_email, 1, instr(partner_email, '+') - 1) || substr(partner_email, instr(partner_email, '@'))
        ELSE partner_email END;
DROP INDEX requests_partner;
CREATE INDEX requests_partner ON requests(partner_mailbox, created_at);
