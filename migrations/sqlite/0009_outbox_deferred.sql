-- The sweep's notices are queued as what was decided (kind, reader, language,
-- values: `plan`, JSON) and rendered when sent; the bytes are kept once sent.
-- 100,000 expiries no longer write 200,000 finished emails in the sweep.
ALTER TABLE outbox ADD COLUMN plan TEXT;
