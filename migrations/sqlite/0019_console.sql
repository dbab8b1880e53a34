-- The operator console (SPEC §12). Its actions log: every operator's
-- command, from the console or the command line, with who gave it and what
-- came of it (a cancel or resend is also in the request's history).
CREATE TABLE operator_actions (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    operator  TEXT NOT NULL,
    via       TEXT NOT NULL,              -- 'console' | 'command line'
    action    TEXT NOT NULL,              -- cancel | resend | retry_email | retry_event | reprocess
    target    TEXT NOT NULL,              -- a reference, or an email's, event's or mail's id
    outcome   TEXT NOT NULL,              -- done | refused
    detail    TEXT NOT NULL DEFAULT ''
);
-- The console's search finds a request by its domain, customer or partner
-- through an index (the partner's is requests_partner), and its overview
-- counts the week's intake by creation time; set-aside mail is listed from
-- its own small index, never by reading every inbound record.
CREATE INDEX requests_domain ON requests(account_domain);
CREATE INDEX requests_customer ON requests(customer_email);
CREATE INDEX requests_created ON requests(created_at);
CREATE INDEX inbound_set_aside ON inbound(id) WHERE outcome IN ('oversized', 'unreadable', 'unreadable_request');
