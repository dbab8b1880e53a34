-- The console's search for a part of a reference, domain, address or account
-- name: a trigram index (pg_trgm, shipped with PostgreSQL), so that finding
-- "acme" among 100,000 requests reads the few rows that hold it instead of
-- every row. The fields are joined by a control character nobody types, so no
-- search matches across two fields. pg_trgm is a trusted extension (the
-- database's owner may create it); where it is not installed or may not be
-- created, the search works the same, reading every row (any other error
-- fails the migration).
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX requests_search ON requests USING gin (
        (lower(reference || chr(31) || account_domain || chr(31) || customer_email || chr(31) || partner_email || chr(31) || account_name))
        gin_trgm_ops);
EXCEPTION WHEN undefined_file OR insufficient_privilege THEN
    RAISE NOTICE 'pg_trgm is not available (%): the console''s search for a part of a field reads every request', SQLERRM;
END
$$;

-- The overview counts each state's requests and how many of them were
-- submitted in one pass over this index, never reading the rows themselves.
CREATE INDEX requests_state_submitted ON requests(state, submitted_at);

-- The console's list takes a page's ids from an index alone, then their rows:
-- with the id in each index it orders by, a page far down the list reads the
-- index entries it skips, never the rows (SQLite's indexes hold the id already).
DROP INDEX requests_created;
CREATE INDEX requests_created ON requests(created_at, id);
DROP INDEX requests_state_created;
CREATE INDEX requests_state_created ON requests(state, created_at, id);
DROP INDEX requests_domain;
CREATE INDEX requests_domain ON requests(account_domain, id);
DROP INDEX requests_state_expiry;
CREATE INDEX requests_state_expiry ON requests(state, expires_at, id);
