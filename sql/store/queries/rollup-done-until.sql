-- Where the minute rollups end, as last committed (for the lag gauge of a backend whose job skipped:
-- another backend sharing the store holds rollup_state). No lock.
SELECT done_until FROM rollup_state
