-- The service's own secret: reply tokens are HMAC-SHA256(secret, step:reference),
-- so a reminder can carry the same act- address as the activation email
-- while the tokens table still holds only their hashes.
CREATE TABLE secrets (
    name   TEXT PRIMARY KEY,
    value  BLOB NOT NULL
);
-- The secret itself is made by the service from the OS CSPRNG on first use.
