-- The schedule keeps its own record: only the sweeps `run` fired on its
-- schedule (by the wall clock) say when the next one is owed. A
-- `sweep --now 2030-…` is recorded too, but no longer postpones every
-- scheduled sweep until 2030. Earlier rows: a sweep that ran as a time after
-- it finished was an operator's --now in the future, never the schedule's.
ALTER TABLE sweeps ADD COLUMN by_schedule BIGINT NOT NULL DEFAULT 0;
UPDATE sweeps SET by_schedule = 1 WHERE swept_at <= finished_at;
CREATE INDEX sweeps_by_schedule ON sweeps(swept_at) WHERE by_schedule = 1;
