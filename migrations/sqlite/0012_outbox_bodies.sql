-- An email's bytes live apart from its delivery state. SQLite rewrites a whole
-- row, overflow pages included, on an UPDATE that changes its size, so every
-- claim, send and retry of an email copied its ~6 KB body again: delivery
-- wrote 57 KB to the database per email sent. A deferred email (the sweep's)
-- has no body until it is rendered for its send; once rendered it is an email
-- like any other, so its plan goes.
CREATE TABLE outbox_bodies (
    outbox_id INTEGER PRIMARY KEY REFERENCES outbox(id),
    raw       BLOB NOT NULL
);
INSERT INTO outbox_bodies (outbox_id, raw) SELECT id, raw FROM outbox WHERE length(raw) > 0;
UPDATE outbox SET plan = NULL WHERE length(raw) > 0;
ALTER TABLE outbox DROP COLUMN raw;
