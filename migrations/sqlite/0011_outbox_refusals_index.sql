-- Only refusals are looked up by recipient (one answer a day, the daily cap:
-- `answers_since`), so only their rows are indexed by it: the sweep's 200,000
-- notices no longer each write an entry. The list is the code's
-- (`Kind::is_refusal`), in its order: a query names it word for word, so
-- SQLite sees that the index serves it (a unit test keeps the two equal).
DROP INDEX outbox_recipient;
CREATE INDEX outbox_refusals ON outbox(recipient, created_at)
    WHERE kind IN ('request_invalid', 'not_authorized', 'unmatched_reply', 'form_help');
