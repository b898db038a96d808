-- Panel reads scan one series over a range. The heap is in time order with every series
-- interleaved (the writer inserts a tick of all series at once), so reading a day of one series
-- through an index on (series_id, ts) touched most of the day's heap pages: ~58,000 buffers for
-- 10 series x 24 h at 15 s with 500 series stored. With the value in the index the same read is an
-- index-only scan of a few hundred contiguous index pages (the visibility map is kept by
-- autovacuum's insert threshold). Costs ~8 bytes a sample. Same key and uniqueness as the index
-- it replaces, so the writer's ON CONFLICT DO NOTHING is unchanged.
-- On a store that already holds samples this builds the index on every partition inside the
-- migration's transaction: the writer buffers meanwhile (its bounded buffer covers minutes).
CREATE UNIQUE INDEX samples_series_ts_value ON samples (series_id, ts) INCLUDE (value);
DROP INDEX samples_series_ts;
