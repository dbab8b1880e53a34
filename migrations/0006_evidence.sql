-- The proof of each command's decision (SUBMIT, CANCEL, ACCEPT, DECLINE,
-- applied or refused): the raw message as it was received and the verdict the
-- core gave beside the decision (the key and step that named the request, the
-- sender's binding, the DMARC result and its authserv-id, or "not checked").
CREATE TABLE evidence (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES requests(id),
    inbound_id  INTEGER NOT NULL REFERENCES inbound(id),
    command     TEXT NOT NULL,
    applied     INTEGER NOT NULL,
    verdict     TEXT NOT NULL,
    sender      TEXT NOT NULL,
    raw         BLOB NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX evidence_request ON evidence(request_id, id);
