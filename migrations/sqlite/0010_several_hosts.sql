-- Several hosts (SPEC §10): several processes deliver one outbox on PostgreSQL; an email is
-- claimed by one process until `claimed_until` (a lease that runs out if the
-- process dies). SQLite has one sender at a time (the send-lock file) and
-- keeps the columns empty; the schema is the same on both backends.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;

-- The mailbox watcher of the moment (SPEC §10's leader): who it is, whether
-- it holds an IMAP session, and when it last said so, so a follower's
-- /readyz can tell whether the mailbox is watched.
CREATE TABLE watcher (
    id              BIGINT PRIMARY KEY CHECK (id = 1),
    holder          TEXT NOT NULL,
    imap_connected  BIGINT NOT NULL,
    seen_at         TEXT NOT NULL
);
