-- An email's bytes live apart from its delivery state, as on SQLite (see its
-- 0012): every claim, send and retry writes a new version of an outbox row,
-- which no longer carries the ~6 KB body. A deferred email (the sweep's) has
-- no body until it is rendered for its send; once rendered it is an email like
-- any other, so its plan goes.
CREATE TABLE outbox_bodies (
    outbox_id BIGINT PRIMARY KEY REFERENCES outbox(id),
    raw       BYTEA NOT NULL
);
INSERT INTO outbox_bodies (outbox_id, raw) SELECT id, raw FROM outbox WHERE length(raw) > 0;
UPDATE outbox SET plan = NULL WHERE length(raw) > 0;
ALTER TABLE outbox DROP COLUMN raw;
