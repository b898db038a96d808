-- Where the minute rollups stand, locked for the job's transaction so that two backends sharing the
-- store never roll up the same minutes at once (the other gets no row and skips).
-- done_until: minutes before it are rolled up (NULL: nothing yet; then oldest, the first day of
-- samples, is where to begin). closed: minutes before it are complete; three minutes behind the
-- store's clock, so that the writers' flushes are in (a batch reaching further back than one
-- minute is recorded in rollup_dirty: insert-samples.sql).
SELECT s.done_until,
       date_bin(interval '1 minute', coalesce($1::timestamptz, now()) - interval '3 minutes', timestamptz 'epoch') AS closed,
       CASE WHEN s.done_until IS NULL THEN
         (SELECT min(to_date(right(c.relname, 8), 'YYYYMMDD'))::timestamp AT TIME ZONE 'UTC'
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'samples'::regclass AND c.relname ~ '_p[0-9]{8}$')
       END AS oldest
FROM rollup_state s
FOR UPDATE OF s SKIP LOCKED
