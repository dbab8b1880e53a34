-- A form refused on its authentication creates no request, yet its message
-- is kept as the decision's proof: evidence.request_id may now be NULL.
-- Retention erases such rows by age (they belong to no request).
CREATE TABLE evidence_new (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER REFERENCES requests(id),
    inbound_id  INTEGER NOT NULL REFERENCES inbound(id),
    command     TEXT NOT NULL,
    applied     INTEGER NOT NULL,
    verdict     TEXT NOT NULL,
    sender      TEXT NOT NULL,
    raw         BLOB NOT NULL,
    created_at  TEXT NOT NULL
);
INSERT INTO evidence_new (id, request_id, inbound_id, command, applied, verdict, sender, raw, created_at)
    SELECT id, request_id, inbound_id, command, applied, verdict, sender, raw, created_at FROM evidence;
DROP TABLE evidence;
ALTER TABLE evidence_new RENAME TO evidence;
CREATE INDEX evidence_request ON evidence(request_id, id);
CREATE INDEX evidence_unowned ON evidence(created_at) WHERE request_id IS NULL;
