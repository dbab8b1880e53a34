-- The sender's page is "pending emails after id N, by id" and the outbox
-- keeps every row it ever sent: on (status, next_attempt_at) the planner
-- walked the primary key from N over every sent email (112 ms a page with a
-- million sent rows, at the start of every delivery pass). These partial
-- indexes hold only what is waiting, or failed for an operator to see:
-- sending an email removes its one entry instead of moving it, and the
-- queries name the status word for word, so the planner sees that they serve.
DROP INDEX outbox_due;
CREATE INDEX outbox_pending ON outbox(id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_failed ON outbox(id) WHERE status = 'failed';
