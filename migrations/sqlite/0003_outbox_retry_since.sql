-- `outbox retry ID` starts a fresh retry window without rewriting when the email was created.
ALTER TABLE outbox ADD COLUMN retry_since TEXT;
