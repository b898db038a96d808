-- Storage loop, every server: the sequences of the connected database nearest to running out
-- (nextval() then fails and so does every insert that needs it).
-- $1: most sequences returned (Top-N by share used); sequences_total and unreadable count them all.
-- Capacity: the sequence's own limit (maxvalue ascending, minvalue descending), narrowed to the range
-- of the integer column that owns it (serial, identity): an integer column fed by a bigint sequence
-- fails at 2^31 - 1 however far the sequence could go.
-- last_value is read only where the role may (has_sequence_privilege SELECT or USAGE): pg_monitor
-- alone may not; grant SELECT on the sequences (or pg_read_all_data) to see them. Unreadable
-- sequences are counted, never guessed. Reading one takes ACCESS SHARE on the sequence (a one-page
-- read); a sequence locked ACCESS EXCLUSIVE (ALTER SEQUENCE in progress) is skipped for the cycle.
WITH locked AS MATERIALIZED (
  SELECT DISTINCT l.relation AS oid
    FROM pg_locks l
   WHERE l.locktype = 'relation'
     AND l.mode = 'AccessExclusiveLock'
     AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
),
sequences AS MATERIALIZED (
  SELECT s.seqrelid,
         n.nspname AS schemaname,
         c.relname AS sequencename,
         format_type(s.seqtypid, NULL) AS data_type,
         s.seqincrement,
         s.seqmin,
         s.seqmax,
         s.seqcycle,
         has_sequence_privilege(c.oid, 'SELECT,USAGE') AS readable,
         owner_table.relname AS table_name,
         owner_schema.nspname AS table_schema,
         owner_column.attname AS column_name,
         owner_column.atttypid AS column_type
    FROM pg_sequence s
    JOIN pg_class c ON c.oid = s.seqrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_depend d
           ON d.classid = 'pg_class'::regclass
          AND d.objid = s.seqrelid
          AND d.refclassid = 'pg_class'::regclass
          AND d.refobjsubid > 0
          AND d.deptype IN ('a', 'i')
    LEFT JOIN pg_attribute owner_column ON owner_column.attrelid = d.refobjid AND owner_column.attnum = d.refobjsubid
    LEFT JOIN pg_class owner_table ON owner_table.oid = d.refobjid
    LEFT JOIN pg_namespace owner_schema ON owner_schema.oid = owner_table.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname !~ '^pg_temp_'
),
valued AS (
  SELECT q.*,
         CASE WHEN q.readable AND q.seqrelid NOT IN (SELECT oid FROM locked)
              THEN pg_sequence_last_value(q.seqrelid) END AS last_value,
         -- The limit in the direction the sequence moves, narrowed to its column's type.
         CASE WHEN q.seqincrement > 0
              THEN least(q.seqmax, CASE q.column_type WHEN 'int2'::regtype THEN 32767
                                                      WHEN 'int4'::regtype THEN 2147483647 END)
              ELSE greatest(q.seqmin, CASE q.column_type WHEN 'int2'::regtype THEN -32768
                                                         WHEN 'int4'::regtype THEN -2147483648 END)
         END AS limit_value
    FROM sequences q
),
used AS (
  SELECT v.*,
         CASE WHEN v.last_value IS NULL THEN NULL
              WHEN v.seqincrement > 0
              THEN (v.last_value::numeric - v.seqmin) / nullif(v.limit_value::numeric - v.seqmin, 0)
              ELSE (v.seqmax - v.last_value::numeric) / nullif(v.seqmax - v.limit_value::numeric, 0)
         END::float8 AS used_ratio
    FROM valued v
)
SELECT current_database() AS datname,
       u.schemaname,
       u.sequencename,
       u.data_type,
       u.table_schema,
       u.table_name,
       u.column_name,
       format_type(u.column_type, NULL) AS column_type,
       u.last_value::float8 AS last_value,
       u.limit_value::float8 AS limit_value,
       u.seqincrement::float8 AS increment_by,
       u.seqcycle AS cycle,
       u.used_ratio,
       -- nextval() calls left before the limit
       floor(abs((u.limit_value::numeric - u.last_value) / u.seqincrement))::float8 AS calls_left,
       count(*) OVER ()::int AS sequences_total,
       (count(*) FILTER (WHERE NOT u.readable) OVER ())::int AS unreadable
  FROM used u
 ORDER BY u.used_ratio DESC NULLS LAST, u.schemaname, u.sequencename
 LIMIT $1
