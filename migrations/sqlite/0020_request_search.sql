-- The console's search for a part of a reference, domain, address or account
-- name: a trigram index (SQLite's FTS5), so that finding "acme" among 100,000
-- requests reads the few rows that hold it instead of every row. One text per
-- request, its fields joined by a control character nobody types (so no
-- search matches across two fields); triggers keep it in step with the
-- request (retention's erasure included), and secure-delete leaves nothing
-- of an erased text in the index.
CREATE VIRTUAL TABLE requests_search USING fts5(text, tokenize = 'trigram');
INSERT INTO requests_search (requests_search, rank) VALUES ('secure-delete', 1);
INSERT INTO requests_search (rowid, text)
    SELECT id, reference || char(31) || account_domain || char(31) || customer_email || char(31) || partner_email || char(31) || account_name
    FROM requests;
CREATE TRIGGER requests_search_insert AFTER INSERT ON requests BEGIN
    INSERT INTO requests_search (rowid, text) VALUES (new.id,
        new.reference || char(31) || new.account_domain || char(31) || new.customer_email || char(31) || new.partner_email || char(31) || new.account_name);
END;
CREATE TRIGGER requests_search_update
AFTER UPDATE OF reference, account_domain, customer_email, partner_email, account_name ON requests BEGIN
    UPDATE requests_search SET text =
        new.reference || char(31) || new.account_domain || char(31) || new.customer_email || char(31) || new.partner_email || char(31) || new.account_name
    WHERE rowid = new.id;
END;
CREATE TRIGGER requests_search_delete AFTER DELETE ON requests BEGIN
    DELETE FROM requests_search WHERE rowid = old.id;
END;

-- The overview counts each state's requests and how many of them were
-- submitted in one pass over this index, never reading the rows themselves.
CREATE INDEX requests_state_submitted ON requests(state, submitted_at);
