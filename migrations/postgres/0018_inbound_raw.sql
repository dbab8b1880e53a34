-- Mail taken at the LMTP door has no folder to wait in: when it is set aside
-- unread (a reader failure), its bytes are kept here for `mail reprocess`.
CREATE TABLE inbound_raw (
    inbound_id  BIGINT PRIMARY KEY REFERENCES inbound(id),
    raw         BYTEA NOT NULL
);
