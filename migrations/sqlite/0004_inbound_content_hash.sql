-- An inbound message is keyed on its Message-ID plus a hash of its content
-- (sender, subject, body): a different message that reuses a Message-ID is
-- read and its clash recorded, instead of being swallowed as a duplicate.
-- Rows from before this migration have an empty hash and count as duplicates
-- of any message with their Message-ID, as they did.
CREATE TABLE inbound_new (
    id           INTEGER PRIMARY KEY,
    message_id   TEXT NOT NULL,
    content_hash TEXT NOT NULL DEFAULT '',
    folder       TEXT NOT NULL,
    uidvalidity  INTEGER NOT NULL,
    uid          INTEGER NOT NULL,
    sender       TEXT,
    subject      TEXT,
    outcome      TEXT NOT NULL,
    detail       TEXT,
    request_id   INTEGER REFERENCES requests(id),
    received_at  TEXT NOT NULL,
    UNIQUE (message_id, content_hash)
);
INSERT INTO inbound_new (id, message_id, content_hash, folder, uidvalidity, uid, sender, subject, outcome, detail, request_id, received_at)
    SELECT id, message_id, '', folder, uidvalidity, uid, sender, subject, outcome, detail, request_id, received_at FROM inbound;
DROP TABLE inbound;
ALTER TABLE inbound_new RENAME TO inbound;
CREATE INDEX inbound_uid ON inbound(folder, uidvalidity, uid);
