-- What the rollup job redid, for readers that keep rolled-up buckets in memory (store/closed-buckets):
-- a rolled-up minute changes only when the job redoes it after a late batch, and a reader cannot
-- see that from rollup_dirty alone (the job deletes the spans it takes, maybe before the reader
-- looked). Each redo bumps redo_generation (in the job's transaction, under its lock on
-- rollup_state: generations commit in order) and records the spans it redid under that number, so
-- a reader that knows generation g learns every span redone since from the rows above g. Rows are
-- kept a day (the job prunes them); a reader further behind than that forgets what it holds.
ALTER TABLE rollup_state ADD COLUMN redo_generation bigint NOT NULL DEFAULT 0;

CREATE TABLE rollup_redone (
  generation bigint NOT NULL,
  from_ts timestamptz NOT NULL,
  to_ts timestamptz NOT NULL,
  redone_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rollup_redone_generation ON rollup_redone (generation);
