import { maxBy, metric } from './ast';
import { AlertDefinition } from './types';
import { IDLE_IN_TRANSACTION_SESSIONS } from '../findings/guide-checks';
import { NO_DATA, singleMetricFixture, sql, T } from './helpers';

const DB = { ...T, datname: 'app' };

export const SESSION_ALERTS: AlertDefinition[] = [
  {
    id: 'long_transaction',
    name: 'PgLongTransaction',
    category: 'sessions',
    component: 'postgresql',
    summary: 'Transaction open for {{value}} in {{label.datname}} on {{label.target}}',
    description:
      'The oldest open transaction in database {{label.datname}} started {{value}} ago (threshold {{threshold}}). It holds back vacuum (dead rows cannot be removed) and may hold locks.',
    runbook: {
      meaning:
        'A transaction open for long holds back the xmin horizon: vacuum cannot remove dead rows anywhere in the cluster, tables and indexes bloat, and the locks it took stay held.',
      checks: [
        {
          what: 'The oldest open transactions: who, from where, doing what.',
          sql: sql`
            SELECT pid, datname, usename, application_name, client_addr, state,
                   now() - xact_start AS xact_age, now() - state_change AS in_state,
                   wait_event_type, left(query, 200) AS query
            FROM pg_stat_activity
            WHERE xact_start IS NOT NULL
            ORDER BY xact_start
            LIMIT 10;`,
        },
        {
          what: 'Whether it blocks others.',
          sql: sql`
            SELECT pid, pg_blocking_pids(pid) AS blocked_by, now() - query_start AS waiting,
                   left(query, 200) AS query
            FROM pg_stat_activity
            WHERE cardinality(pg_blocking_pids(pid)) > 0;`,
        },
        {
          what: 'Prepared transactions, which hold the horizon too and appear in no session.',
          sql: sql`
            SELECT gid, prepared, owner, database, age(transaction) AS xid_age
            FROM pg_prepared_xacts
            ORDER BY prepared;`,
        },
      ],
      remediation: [
        'Ask the owner first (application_name, client_addr): a report or a migration may be about to finish.',
        "If it is stuck: `SELECT pg_cancel_backend(<pid>);` stops its statement; `SELECT pg_terminate_backend(<pid>);` ends the session and rolls the transaction back. A forgotten prepared transaction: `ROLLBACK PREPARED '<gid>';`.",
        'Prevent: idle_in_transaction_session_timeout, transaction_timeout (PostgreSQL 17+) and statement_timeout for batch roles (ALTER ROLE ... SET ...).',
      ],
    },
    noData: NO_DATA.onlyWhereItExists,
    unit: 'seconds',
    comparator: '>=',
    // The value is itself an age: it needs no `for` to be persistent.
    levels: { warning: { threshold: 300, for_s: 0 }, critical: { threshold: 1800, for_s: 0 } },
    instanceLabels: ['target', 'datname'],
    value: () => maxBy(['target', 'datname'], metric('pg_oldest_transaction_seconds')),
    fixtures: singleMetricFixture('pg_oldest_transaction_seconds', DB, 1),
  },
  {
    id: 'idle_in_transaction',
    name: 'PgIdleInTransaction',
    category: 'sessions',
    component: 'postgresql',
    summary: 'Session idle in transaction for {{value}} in {{label.datname}} on {{label.target}}',
    description:
      'A session in database {{label.datname}} has been idle inside an open transaction for {{value}} (threshold {{threshold}}): the application began a transaction and stopped talking. It holds its locks and its snapshot.',
    runbook: {
      meaning:
        'The application opened a transaction and stopped talking: the session keeps its locks and its snapshot, so it blocks DDL and vacuum, and under connection pooling it also holds a server connection.',
      checks: [
        {
          ...IDLE_IN_TRANSACTION_SESSIONS,
          what: 'Sessions idle inside a transaction, the longest first, with the last statement they ran.',
        },
        {
          what: 'Whom they block.',
          sql: sql`
            SELECT blocked.pid AS blocked_pid, blocked.usename, now() - blocked.query_start AS waiting,
                   blocking.pid AS blocking_pid, blocking.state AS blocking_state
            FROM pg_stat_activity blocked
            JOIN pg_stat_activity blocking ON blocking.pid = ANY (pg_blocking_pids(blocked.pid))
            ORDER BY waiting DESC;`,
        },
        {
          what: 'The timeouts in force.',
          sql: sql`
            SELECT name, setting, unit, source
            FROM pg_settings
            WHERE name IN ('idle_in_transaction_session_timeout', 'idle_session_timeout', 'transaction_timeout');`,
        },
      ],
      remediation: [
        'Terminate the session if it blocks others: `SELECT pg_terminate_backend(<pid>);` (pg_cancel_backend does nothing to an idle session). The governor does so at its critical level unless the session is protected.',
        "Fix the application (a missing COMMIT or ROLLBACK on an error path) and set a timeout for its role: `ALTER ROLE <app> SET idle_in_transaction_session_timeout = '5min';`",
      ],
    },
    noData: NO_DATA.onlyWhereItExists,
    unit: 'seconds',
    comparator: '>=',
    levels: { warning: { threshold: 120, for_s: 0 }, critical: { threshold: 900, for_s: 0 } },
    instanceLabels: ['target', 'datname'],
    value: () => maxBy(['target', 'datname'], metric('pg_longest_idle_in_transaction_seconds')),
    fixtures: singleMetricFixture('pg_longest_idle_in_transaction_seconds', DB, 1),
  },
  {
    id: 'blocking_locks',
    name: 'PgBlockingLocks',
    category: 'locks',
    component: 'postgresql',
    summary: 'A session on {{label.target}} has waited {{value}} for a lock',
    description:
      'The longest current lock wait on {{label.target}} is {{value}} (threshold {{threshold}}): a blocking chain is holding sessions up.',
    runbook: {
      meaning:
        'Sessions wait for locks held by others: their statements stall, and connections pile up behind the blocking session until pools or max_connections run out.',
      checks: [
        {
          what: 'Each waiting session and the session it waits for.',
          sql: sql`
            SELECT blocked.pid AS blocked_pid, blocked.usename AS blocked_user,
                   now() - blocked.query_start AS waiting, left(blocked.query, 120) AS blocked_query,
                   blocking.pid AS blocking_pid, blocking.usename AS blocking_user, blocking.state AS blocking_state,
                   now() - blocking.xact_start AS blocking_xact_age, left(blocking.query, 120) AS blocking_query
            FROM pg_stat_activity blocked
            JOIN pg_stat_activity blocking ON blocking.pid = ANY (pg_blocking_pids(blocked.pid))
            ORDER BY waiting DESC;`,
        },
        {
          what: 'The roots: sessions that block others and wait on nobody. Ending a root frees its whole chain.',
          sql: sql`
            SELECT a.pid, a.usename, a.application_name, a.state, now() - a.xact_start AS xact_age,
                   left(a.query, 200) AS query
            FROM pg_stat_activity a
            WHERE cardinality(pg_blocking_pids(a.pid)) = 0
              AND EXISTS (SELECT 1 FROM pg_stat_activity b WHERE a.pid = ANY (pg_blocking_pids(b.pid)));`,
        },
        {
          what: 'The locks waited for, by relation and mode.',
          sql: sql`
            SELECT locktype, relation::regclass AS relation, mode, pid
            FROM pg_locks
            WHERE NOT granted
            ORDER BY relation;`,
        },
      ],
      remediation: [
        'A root idle in transaction is the common case: `SELECT pg_terminate_backend(<root pid>);`',
        'A root running DDL (ALTER TABLE, CREATE INDEX without CONCURRENTLY) or VACUUM FULL: decide with its owner whether to cancel it (`SELECT pg_cancel_backend(<pid>);`).',
        "Prevent: SET lock_timeout = '5s' in migrations, short transactions, no user think-time inside a transaction.",
      ],
    },
    noData: NO_DATA.blind,
    unit: 'seconds',
    comparator: '>=',
    levels: { warning: { threshold: 30, for_s: 0 }, critical: { threshold: 120, for_s: 0 } },
    instanceLabels: ['target'],
    value: () => maxBy(['target'], metric('pg_lock_wait_longest_seconds')),
    fixtures: singleMetricFixture('pg_lock_wait_longest_seconds', T, 1),
  },
];
