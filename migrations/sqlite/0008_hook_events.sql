-- State-change events for the provisioning system (SPEC §11), written in the
-- same transaction as the change and delivered at least once, in order per
-- request, beside the email outbox.
CREATE TABLE hook_events (
    id               INTEGER PRIMARY KEY,
    event_id         TEXT NOT NULL UNIQUE,     -- what receivers deduplicate on
    request_id       INTEGER NOT NULL REFERENCES requests(id),
    type             TEXT NOT NULL,            -- request.<state>
    body             TEXT NOT NULL,            -- the JSON event, exactly as sent
    status           TEXT NOT NULL DEFAULT 'pending',   -- pending | sent | failed
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    retry_since      TEXT
);
CREATE INDEX hook_events_due ON hook_events(status, id);
CREATE INDEX hook_events_request ON hook_events(request_id, id);

-- Who asked, as the customer's emails name them; and when personal data was erased.
ALTER TABLE requests ADD COLUMN partner_name TEXT;
ALTER TABLE requests ADD COLUMN partner_company TEXT;
ALTER TABLE requests ADD COLUMN erased_at TEXT;
