-- Every way the connected role could write (DDL or DML) in the connected database: one row per
-- finding (kind, detail); no rows means read-only. A session can always SET ROLE to the roles it
-- is a member of, so the privileges of all of them count, inherited or not.
-- One pass over pg_class with capped examples: cheap with 10,000 tables.
-- Not reported, because every role has them by default and they touch no one else's data: TEMP
-- on the database (session-private tables) and large-object creation.
WITH me AS (
  SELECT r.oid, r.rolname, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication
    FROM pg_catalog.pg_roles r
   WHERE pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')
),
-- A superuser can do anything: the detailed checks below would only restate it.
gate AS (
  SELECT NOT coalesce(bool_or(rolsuper), false) AS check_details FROM me
),
user_schemas AS (
  SELECT n.oid, n.nspname, n.nspowner,
         EXISTS (SELECT FROM pg_catalog.aclexplode(n.nspacl) a
                  WHERE a.grantee = 0 AND a.privilege_type = 'CREATE') AS public_can_create
    FROM pg_catalog.pg_namespace n
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
     AND (SELECT check_details FROM gate)
),
schema_caps AS (
  SELECT s.nspname,
         s.public_can_create,
         EXISTS (SELECT FROM me WHERE pg_catalog.has_schema_privilege(me.oid, s.oid, 'CREATE')) AS can_create,
         s.nspowner IN (SELECT oid FROM me) AS owned
    FROM user_schemas s
),
-- Column grants are rare: look at columns only for the relations that have some.
column_acl_relations AS (
  SELECT DISTINCT attrelid FROM pg_catalog.pg_attribute WHERE attacl IS NOT NULL
),
relation_caps AS (
  SELECT format('%I.%I', s.nspname, c.relname) AS name,
         c.relkind <> 'S' AND EXISTS (
           SELECT FROM me
            WHERE pg_catalog.has_table_privilege(me.oid, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, TRIGGER')
               OR (c.oid IN (SELECT attrelid FROM column_acl_relations)
                   AND pg_catalog.has_any_column_privilege(me.oid, c.oid, 'INSERT, UPDATE'))
         ) AS writable,
         c.relkind = 'S' AND EXISTS (
           SELECT FROM me WHERE pg_catalog.has_sequence_privilege(me.oid, c.oid, 'UPDATE')
         ) AS sequence_writable,
         c.relowner IN (SELECT oid FROM me) AS owned
    FROM pg_catalog.pg_class c
    JOIN user_schemas s ON s.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
),
findings (ord, kind, detail) AS (
  SELECT 1, 'superuser',
         CASE WHEN bool_or(rolsuper AND rolname = current_user)
              THEN format('%I is a superuser: it bypasses every permission check', current_user)
              ELSE format('%I can SET ROLE to the superuser role(s) %s', current_user,
                          string_agg(quote_ident(rolname), ', ' ORDER BY rolname))
         END
    FROM me WHERE rolsuper HAVING count(*) > 0
  UNION ALL
  SELECT 2, 'createrole', format('CREATEROLE (held by %s): can create, alter and drop roles',
                                 string_agg(quote_ident(rolname), ', ' ORDER BY rolname))
    FROM me WHERE rolcreaterole AND (SELECT check_details FROM gate) HAVING count(*) > 0
  UNION ALL
  SELECT 3, 'createdb', format('CREATEDB (held by %s): can create databases',
                               string_agg(quote_ident(rolname), ', ' ORDER BY rolname))
    FROM me WHERE rolcreatedb AND (SELECT check_details FROM gate) HAVING count(*) > 0
  UNION ALL
  SELECT 4, 'replication', format('REPLICATION (held by %s): can create replication slots, which keep WAL on disk',
                                  string_agg(quote_ident(rolname), ', ' ORDER BY rolname))
    FROM me WHERE rolreplication AND (SELECT check_details FROM gate) HAVING count(*) > 0
  UNION ALL
  SELECT 5, 'server_files', format('member of %I: can write files or run programs on the database server', rolname)
    FROM me WHERE rolname IN ('pg_write_server_files', 'pg_execute_server_program') AND (SELECT check_details FROM gate)
  UNION ALL
  SELECT 6, 'write_all_data', 'member of pg_write_all_data: can INSERT, UPDATE and DELETE in every table'
    FROM me WHERE rolname = 'pg_write_all_data' AND (SELECT check_details FROM gate)
  UNION ALL
  SELECT 7, 'database_create', format('CREATE on database %I: can create schemas', current_database())
   WHERE (SELECT check_details FROM gate)
     AND EXISTS (SELECT FROM me WHERE pg_catalog.has_database_privilege(me.oid, current_database(), 'CREATE'))
  UNION ALL
  SELECT 8, 'schema_create',
         format('CREATE on schema %I, granted to PUBLIC (the default for schema public before PostgreSQL 15): '
                'any role can create tables there; as its owner run REVOKE CREATE ON SCHEMA %I FROM PUBLIC '
                'in this database', nspname, nspname)
    FROM schema_caps WHERE can_create AND public_can_create
  UNION ALL
  SELECT 9, 'schema_create',
         format('CREATE on %s schema(s): can create tables and other objects in %s', count(*),
                (SELECT string_agg(quote_ident(nspname), ', ')
                   FROM (SELECT nspname FROM schema_caps
                          WHERE can_create AND NOT public_can_create ORDER BY nspname LIMIT 3) e)
                || CASE WHEN count(*) > 3 THEN ', ...' ELSE '' END)
    FROM schema_caps WHERE can_create AND NOT public_can_create HAVING count(*) > 0
  UNION ALL
  SELECT 10, 'table_write',
         format('INSERT, UPDATE, DELETE, TRUNCATE or TRIGGER on %s relation(s): %s', count(*),
                (SELECT string_agg(name, ', ')
                   FROM (SELECT name FROM relation_caps WHERE writable ORDER BY name LIMIT 3) e)
                || CASE WHEN count(*) > 3 THEN ', ...' ELSE '' END)
    FROM relation_caps WHERE writable HAVING count(*) > 0
  UNION ALL
  SELECT 11, 'sequence_write',
         format('UPDATE on %s sequence(s), can setval: %s', count(*),
                (SELECT string_agg(name, ', ')
                   FROM (SELECT name FROM relation_caps WHERE sequence_writable ORDER BY name LIMIT 3) e)
                || CASE WHEN count(*) > 3 THEN ', ...' ELSE '' END)
    FROM relation_caps WHERE sequence_writable HAVING count(*) > 0
  UNION ALL
  SELECT 12, 'ownership', format('owns database %I: can alter or drop it', d.datname)
    FROM pg_catalog.pg_database d
   WHERE d.datname = current_database() AND d.datdba IN (SELECT oid FROM me) AND (SELECT check_details FROM gate)
  UNION ALL
  SELECT 13, 'ownership',
         format('owns %s schema(s): can alter or drop them and everything in them: %s', count(*),
                (SELECT string_agg(quote_ident(nspname), ', ')
                   FROM (SELECT nspname FROM schema_caps WHERE owned ORDER BY nspname LIMIT 3) e)
                || CASE WHEN count(*) > 3 THEN ', ...' ELSE '' END)
    FROM schema_caps WHERE owned HAVING count(*) > 0
  UNION ALL
  SELECT 14, 'ownership',
         format('owns %s relation(s): can alter, drop or write them: %s', count(*),
                (SELECT string_agg(name, ', ')
                   FROM (SELECT name FROM relation_caps WHERE owned ORDER BY name LIMIT 3) e)
                || CASE WHEN count(*) > 3 THEN ', ...' ELSE '' END)
    FROM relation_caps WHERE owned HAVING count(*) > 0
)
SELECT kind, detail FROM findings ORDER BY ord
