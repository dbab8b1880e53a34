-- Every cap and limit counts a mailbox, not a spelling (SPEC §4): the
-- address lower-cased (as stored) without its +tag. The outbox keeps the
-- recipient's mailbox for the emails sent in answer to mail (the sweep's
-- notices have none: they are never capped), the requests their partner's.
ALTER TABLE outbox ADD COLUMN mailbox TEXT;
DROP INDEX outbox_refusals;
CREATE INDEX outbox_mailbox ON outbox(mailbox, created_at) WHERE mailbox IS NOT NULL;
UPDATE outbox SET mailbox = regexp_replace(recipient, '\+[^@]*@', '@')
    WHERE plan IS NULL AND recipient <> 'erased'
      AND created_at >= to_char((now() AT TIME ZONE 'UTC') - interval '2 days', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
ALTER TABLE requests ADD COLUMN partner_mailbox TEXT NOT NULL DEFAULT '';
UPDATE requests SET partner_mailbox = regexp_replace(partner_email, '\+[^@]*@', '@');
DROP INDEX requests_partner;
CREATE INDEX requests_partner ON requests(partner_mailbox, created_at);
