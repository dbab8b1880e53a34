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

-- A refresh token the OAuth2 provider rotated (oauth2.refresh_token_file's
-- successor), per token endpoint and client. It is used while the file still
-- holds the token it replaced (file_hash: SHA-256 of the file's token); a new
-- token written to the file by the operator wins over it.
CREATE TABLE oauth2_refresh_tokens (
    slot           TEXT PRIMARY KEY,          -- token_url and client_id
    file_hash      TEXT NOT NULL,
    refresh_token  TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
