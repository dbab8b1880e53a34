-- A form refused on its authentication creates no request, yet its message
-- is kept as the decision's proof: evidence.request_id may now be NULL.
-- Retention erases such rows by age (they belong to no request).
ALTER TABLE evidence ALTER COLUMN request_id DROP NOT NULL;
CREATE INDEX evidence_unowned ON evidence(created_at) WHERE request_id IS NULL;
