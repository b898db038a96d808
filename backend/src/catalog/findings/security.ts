import { sql } from '../alerts/helpers';
import { FindingKind, runbookOf } from './types';

/**
 * Security recommendations (pgwatch reco_default_public_schema, reco_superusers,
 * reco_sprocs_wo_search_path; stat_ssl): what a read-only role sees in the catalogs and the
 * statistics views. Posture, not incidents: info, except an exploitable SECURITY DEFINER function.
 */
export const SECURITY_FINDINGS: FindingKind[] = [
  {
    id: 'schema_create_for_public',
    title: 'PUBLIC may create objects in a schema',
    category: 'security',
    description:
      'Every role may CREATE in a schema (schema public on PostgreSQL 14 and before, by default): any role can put a function, operator or table there that shadows the one another role meant.',
    severity: 'info',
    inputs: [{ collector: 'recommendations', queries: ['public-create-schemas'] }],
    params: {},
    anchors:
      'pgwatch reco_default_public_schema; PostgreSQL 15 release notes and CVE-2018-1058 (info: the default of PostgreSQL 14 and before)',
    runbook: runbookOf('schema_create_for_public'),
    guide: {
      meaning:
        "PUBLIC, that is every role, holds CREATE on a schema. That was the default for schema public until PostgreSQL 15. Any role that can log in may then create a function or operator with the name and argument types another role calls without schema qualification, and have it run with that role's rights (CVE-2018-1058), or leave tables there that nobody owns on purpose. Nothing is broken today; the door is open.",
      checks: [
        {
          what: 'In the database of the finding: the schemas where PUBLIC may create, and their ACL (an entry starting with = is PUBLIC; C is CREATE).',
          sql: sql`
            SELECT n.nspname, pg_get_userbyid(n.nspowner) AS owner, n.nspacl
            FROM pg_namespace n
            WHERE has_schema_privilege('public', n.oid, 'CREATE')
              AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema';`,
        },
        {
          what: 'Who owns the tables, views and sequences in schema public: owners other than the roles that deploy the schema show who relies on the privilege.',
          sql: sql`
            SELECT pg_get_userbyid(c.relowner) AS owner, count(*) AS relations
            FROM pg_class c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
            GROUP BY 1
            ORDER BY relations DESC;`,
        },
      ],
      remediation: [
        'Revoke it (in that database; takes effect at once, existing objects stay): `REVOKE CREATE ON SCHEMA public FROM PUBLIC;` (the finding names the schema, quoted).',
        'Grant CREATE to the roles that deploy schema changes, and only to them: `GRANT CREATE ON SCHEMA public TO deploy_role;`',
        'Do the same in template1, so that new databases start without it.',
      ],
    },
  },
  {
    id: 'too_many_superusers',
    title: 'Many roles can log in as superuser',
    category: 'security',
    description:
      'Many roles can log in as superuser: each bypasses every permission check, can read and change any data and run programs on the server. Most tasks need far less (pg_monitor, pg_signal_backend, database ownership).',
    severity: 'info',
    inputs: [{ collector: 'recommendations', queries: ['superusers'] }],
    params: {
      min_count: {
        default: 10,
        unit: 'count',
        description: 'Roles that can log in as superuser, at least: info',
      },
    },
    anchors: 'pgwatch reco_superusers (10 login superusers)',
    runbook: runbookOf('too_many_superusers'),
    guide: {
      meaning:
        "Many roles can log in with SUPERUSER. Each of them bypasses every permission check, row level security included, can read and change any data, change any setting and run programs as the server's operating system user (COPY ... PROGRAM). Each is one more password or key whose leak hands over the whole server, and one more account in the audit trail that can do anything.",
      checks: [
        {
          what: 'The roles that can log in as superuser, and when their password expires.',
          sql: sql`
            SELECT rolname, rolvaliduntil, rolconnlimit
            FROM pg_roles
            WHERE rolsuper AND rolcanlogin
            ORDER BY rolname;`,
        },
        {
          what: 'Which of them are connected now, from where and with which application.',
          sql: sql`
            SELECT a.usename, a.application_name, a.client_addr, count(*) AS connections
            FROM pg_stat_activity a
            JOIN pg_roles r ON r.oid = a.usesysid
            WHERE r.rolsuper
            GROUP BY 1, 2, 3
            ORDER BY connections DESC;`,
        },
      ],
      remediation: [
        'Find out what each account is used for (people, applications, tools) and give it the predefined roles it needs instead: pg_monitor and pg_read_all_stats for monitoring, pg_signal_backend to cancel sessions, ownership of its database for an application, CREATEROLE for an account manager.',
        'Then take the attribute away: `ALTER ROLE app_admin NOSUPERUSER;` (a superuser runs it), or stop the role from logging in: `ALTER ROLE app_admin NOLOGIN;`',
        'Keep one or two break-glass superusers, their use logged (log_connections, pgaudit).',
      ],
    },
  },
  {
    id: 'security_definer_search_path',
    title: 'SECURITY DEFINER function without search_path',
    category: 'security',
    description:
      "A SECURITY DEFINER function does not set search_path: it runs with its owner's rights but resolves unqualified names through the caller's search_path, so a caller who can create objects on that path can make it run their code as the owner.",
    severity: 'warning',
    inputs: [{ collector: 'recommendations', queries: ['security-definer-functions'] }],
    params: {},
    anchors:
      'pgwatch reco_sprocs_wo_search_path; the PostgreSQL manual, Writing SECURITY DEFINER Functions Safely (warning: exploitable as it stands)',
    runbook: runbookOf('security_definer_search_path'),
    guide: {
      meaning:
        'A SECURITY DEFINER function runs with the rights of its owner, often a superuser or the owner of the data, and PostgreSQL resolves the unqualified names in its body (tables, functions, operators) through the search_path of whoever calls it, with pg_temp searched first for tables. A caller who may create objects in any schema on that path, their own temporary schema included, can plant an object with a name the function uses and have it run as the owner: privilege escalation, exactly what SECURITY DEFINER was meant to control.',
      checks: [
        {
          what: 'In the database of the finding: the SECURITY DEFINER functions without a search_path setting, with their owner and who may execute them.',
          sql: sql`
            SELECT p.oid::regprocedure AS function, pg_get_userbyid(p.proowner) AS owner, p.proacl, p.proconfig
            FROM pg_proc p
            WHERE p.prosecdef
              AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search\_path=%')
              AND p.pronamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace);`,
        },
        {
          what: 'The body of one of them: the unqualified names it uses are what search_path resolves (replace the name and arguments with the function of the finding).',
          sql: sql`
            SELECT pg_get_functiondef('public.my_function(integer)'::regprocedure);`,
        },
      ],
      remediation: [
        'Pin its search_path to schemas only trusted roles can write, pg_temp last: `ALTER FUNCTION app.f(integer) SET search_path = app, pg_temp;` (the finding writes the statement for the function, quoted). Check that the body still finds everything it uses (qualify names from other schemas).',
        'A schema in that path where PUBLIC may CREATE (schema public before PostgreSQL 15) is no protection: revoke that first, or name only schemas that are closed.',
        'Revoke EXECUTE from PUBLIC if only some roles should call it: `REVOKE EXECUTE ON FUNCTION app.f(integer) FROM PUBLIC;`',
        'A function of an extension: report it upstream; an ALTER on it is lost at the next ALTER EXTENSION UPDATE.',
      ],
    },
  },
  {
    id: 'unencrypted_connections',
    title: 'Client connections without TLS',
    category: 'security',
    description:
      'Clients connect over TCP without TLS (or GSSAPI encryption): queries, results and, with md5 or password authentication, credentials travel in clear text between client and server.',
    severity: 'info',
    inputs: [{ collector: 'connection_encryption', queries: ['unencrypted-connections'] }],
    params: {
      include_loopback: {
        default: false,
        unit: 'flag',
        description:
          'Report connections over the loopback address (127.0.0.1, ::1) too: they never leave the host (a PgBouncer beside the database), so by default they are left out',
      },
    },
    anchors:
      'pgwatch stat_ssl (counts connections by TLS; no threshold). Info: whether the network between client and server is trusted is a policy PG Governor cannot see; the loopback address never leaves the host, so it is left out unless include_loopback is set (the metric pg_connections_unencrypted_tcp counts it)',
    runbook: runbookOf('unencrypted_connections'),
    guide: {
      meaning:
        'Client backends connected over TCP use neither TLS nor GSSAPI encryption: statements, results and, with md5 or password authentication, the credentials cross the network in clear text, readable and alterable by anyone on the path. Connections over the loopback address (127.0.0.1, ::1) never leave the host: a PgBouncer on the database host is the usual case, and harmless. Whether a private network is trusted enough is a policy decision; this finding shows who connects in clear.',
      checks: [
        {
          what: 'Client connections by database, user, application and address, and whether they are encrypted.',
          sql: sql`
            SELECT a.datname, a.usename, a.application_name, a.client_addr,
                   coalesce(s.ssl, false) AS ssl, s.version, coalesce(g.encrypted, false) AS gss_encrypted,
                   count(*) AS connections
            FROM pg_stat_activity a
            LEFT JOIN pg_stat_ssl s ON s.pid = a.pid
            LEFT JOIN pg_stat_gssapi g ON g.pid = a.pid
            WHERE a.backend_type = 'client backend' AND a.client_addr IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5, 6, 7
            ORDER BY ssl, connections DESC;`,
        },
        {
          what: 'Whether the server offers TLS at all, and with which certificate files.',
          sql: sql`
            SELECT name, setting
            FROM pg_settings
            WHERE name IN ('ssl', 'ssl_cert_file', 'ssl_key_file', 'ssl_ca_file', 'ssl_min_protocol_version', 'password_encryption');`,
        },
      ],
      remediation: [
        'Offer TLS: a certificate and key on the server, `ALTER SYSTEM SET ssl = on;` and `SELECT pg_reload_conf();` (no restart).',
        'Let the clients use it: `sslmode=verify-full` (with the CA certificate) in their connection strings; `require` encrypts without checking who answers.',
        'Then require it: in pg_hba.conf, hostssl instead of host for remote clients (`hostssl all all 10.0.0.0/8 scram-sha-256`) and reload. Connections already open keep their encryption until they reconnect.',
        'Connections over the loopback address never leave the host and are left out of the finding (`findings.unencrypted_connections.include_loopback: true` reports them too).',
      ],
    },
  },
];
