-- Daily partitions (UTC days): created ahead by the backend's maintenance and by the writer for
-- the days it writes, dropped whole at retention. Several backends may share one store: both
-- functions take the same transaction advisory lock (key 'PGG_PART' as a bigint), so they never
-- race each other on one partition.

-- Creates the missing partitions <parent>_pYYYYMMDD for the given days; returns how many.
CREATE FUNCTION pgg_ensure_daily_partitions(parent regclass, days date[])
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  parent_schema name;
  parent_name name;
  day date;
  partition_name text;
  created integer := 0;
BEGIN
  SELECT n.nspname, c.relname INTO STRICT parent_schema, parent_name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.oid = parent;
  PERFORM pg_advisory_xact_lock(5784670721074614868);
  -- Attaching a partition locks the parent: give up (and retry later) rather than queue behind
  -- a long read and make every other statement on the table queue behind us.
  PERFORM set_config('lock_timeout', '2s', true);
  FOREACH day IN ARRAY days LOOP
    partition_name := parent_name || '_p' || to_char(day, 'YYYYMMDD');
    CONTINUE WHEN to_regclass(format('%I.%I', parent_schema, partition_name)) IS NOT NULL;
    EXECUTE format(
      'CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
      parent_schema, partition_name, parent_schema, parent_name,
      to_char(day, 'YYYY-MM-DD') || ' 00:00:00+00',
      to_char(day + 1, 'YYYY-MM-DD') || ' 00:00:00+00');
    created := created + 1;
  END LOOP;
  RETURN created;
END
$$;

-- Drops the daily partitions of days before before_day; returns their names.
CREATE FUNCTION pgg_drop_daily_partitions(parent regclass, before_day date)
RETURNS SETOF text
LANGUAGE plpgsql
AS $$
DECLARE
  child record;
BEGIN
  PERFORM pg_advisory_xact_lock(5784670721074614868);
  PERFORM set_config('lock_timeout', '2s', true);
  FOR child IN
    SELECT c.oid::regclass AS partition, c.relname::text AS name
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = parent
      AND c.relname ~ '_p[0-9]{8}$'
      AND to_date(right(c.relname, 8), 'YYYYMMDD') < before_day
    ORDER BY c.relname
  LOOP
    EXECUTE format('DROP TABLE %s', child.partition);
    RETURN NEXT child.name;
  END LOOP;
END
$$;
