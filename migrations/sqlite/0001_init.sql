-- smartacct schema. Timestamps are RFC 3339 UTC text ('2026-11-23T23:57:53Z'),
-- which sorts and compares as time.

CREATE TABLE requests (
    id                 INTEGER PRIMARY KEY,
    reference          TEXT NOT NULL UNIQUE,
    state              TEXT NOT NULL,
    account_name       TEXT NOT NULL,
    account_domain     TEXT NOT NULL,
    customer_email     TEXT NOT NULL,
    partner_email      TEXT NOT NULL,
    user_emails        TEXT NOT NULL DEFAULT '[]',   -- JSON array of addresses
    note_to_customer   TEXT,
    note_to_users      TEXT,
    locale             TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    submitted_at       TEXT,
    expires_at         TEXT,
    activated_at       TEXT,
    closed_at          TEXT,
    last_reminder_days INTEGER,
    updated_at         TEXT NOT NULL
);
-- A domain has at most one live request: the database enforces SPEC §3's rule too.
CREATE UNIQUE INDEX requests_live_domain ON requests(account_domain)
    WHERE state IN ('awaiting_review', 'pending_customer_acceptance');
CREATE INDEX requests_state_expiry ON requests(state, expires_at);
CREATE INDEX requests_state_created ON requests(state, created_at);

-- Reply keys handed out: only the SHA-256 of each token is kept.
CREATE TABLE tokens (
    token_hash  TEXT PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES requests(id),
    step        TEXT NOT NULL,            -- 'review' | 'activation'
    created_at  TEXT NOT NULL
);
CREATE INDEX tokens_request ON tokens(request_id);

-- Every inbound message processed, keyed on its Message-ID (SPEC §5).
CREATE TABLE inbound (
    id           INTEGER PRIMARY KEY,
    message_id   TEXT NOT NULL UNIQUE,
    folder       TEXT NOT NULL,
    uidvalidity  INTEGER NOT NULL,
    uid          INTEGER NOT NULL,
    sender       TEXT,
    subject      TEXT,
    outcome      TEXT NOT NULL,
    detail       TEXT,
    request_id   INTEGER REFERENCES requests(id),
    received_at  TEXT NOT NULL
);
CREATE INDEX inbound_uid ON inbound(folder, uidvalidity, uid);

-- Outgoing email, fully rendered, written in the same transaction as the
-- change that caused it and delivered afterwards.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    request_id       INTEGER REFERENCES requests(id),
    kind             TEXT NOT NULL,
    recipient        TEXT NOT NULL,
    message_id       TEXT NOT NULL UNIQUE,
    bounce_id        TEXT NOT NULL UNIQUE,
    envelope_from    TEXT NOT NULL,
    subject          TEXT NOT NULL,
    raw              BLOB NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending',   -- pending | sent | failed
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_recipient ON outbox(recipient, created_at);
CREATE INDEX outbox_request ON outbox(request_id);

-- A request's history, for `requests show`.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES requests(id),
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_request ON events(request_id, id);

-- Completed sweeps, so `run` can catch up after missed nights.
CREATE TABLE sweeps (
    id           INTEGER PRIMARY KEY,
    swept_at     TEXT NOT NULL,     -- the `now` the sweep ran as
    finished_at  TEXT NOT NULL,
    expired      INTEGER NOT NULL DEFAULT 0,
    reminded     INTEGER NOT NULL DEFAULT 0,
    review_expired INTEGER NOT NULL DEFAULT 0
);
