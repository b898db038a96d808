import { sql } from '../alerts/helpers';
import { IDLE_IN_TRANSACTION_SESSIONS, SESSION_TIMEOUTS, SESSIONS_WAITING } from './guide-checks';
import { FindingKind, runbookOf } from './types';

const ACTIVITY = [{ collector: 'activity' }];

export const SESSION_FINDINGS: FindingKind[] = [
  {
    id: 'idle_in_transaction',
    title: 'Session idle in transaction',
    category: 'sessions',
    description:
      'A client began a transaction and stopped talking: the session holds its locks and its snapshot (vacuum cannot remove rows deleted since), and a connection slot.',
    severity: 'warning',
    inputs: ACTIVITY,
    params: {
      warning_s: { default: 300, unit: 'seconds', description: 'Idle in transaction this long: warning' },
      critical_s: { default: 900, unit: 'seconds', description: 'Idle in transaction this long: critical' },
    },
    anchors:
      'pgmonitor PGIdleTxn (300 s warning, 900 s critical); check_postgres txn_idle; pganalyze Idle Transactions',
    runbook: runbookOf('idle_in_transaction'),
    relatedAlerts: ['idle_in_transaction'],
    guide: {
      meaning:
        'The application opened a transaction and went quiet (a missing COMMIT on an error path, a connection pool handing out a connection mid-transaction, a person at a psql prompt). Until it ends, its row and table locks stay held, vacuum cannot remove rows deleted since its snapshot, and it keeps a connection slot.',
      checks: [IDLE_IN_TRANSACTION_SESSIONS, SESSIONS_WAITING, SESSION_TIMEOUTS],
      remediation: [
        'Terminate the session when it blocks others or holds the horizon: `SELECT pg_terminate_backend(<pid>);` rolls its transaction back (pg_cancel_backend does nothing to an idle session).',
        "Fix the application (commit or roll back on every path) and bound it: `ALTER ROLE <app> SET idle_in_transaction_session_timeout = '5min';`",
      ],
    },
  },
  {
    id: 'long_running_query',
    title: 'Long-running query',
    category: 'sessions',
    description:
      'A statement has been running for a long time: it holds its locks and snapshot, and it may be stuck or missing an index.',
    severity: 'warning',
    inputs: ACTIVITY,
    params: {
      warning_s: { default: 300, unit: 'seconds', description: 'Running this long: warning' },
      critical_s: { default: 43_200, unit: 'seconds', description: 'Running this long: critical' },
    },
    anchors:
      'check_postgres query_time (5 min critical by default: our warning); pgmonitor PGQueryTime (12 h: our critical)',
    runbook: runbookOf('long_running_query'),
    relatedAlerts: ['long_transaction'],
    guide: {
      meaning:
        'A statement has been running for a long time: it holds its locks and its snapshot (vacuum waits for it), it may block DDL and everyone queued behind the DDL, and it may be stuck on a lock or an I/O-bound plan.',
      checks: [
        {
          what: 'The statements running now, longest first, with what they wait on.',
          sql: sql`
            SELECT pid, datname, usename, application_name, now() - query_start AS running_for,
                   wait_event_type, wait_event, left(query, 200) AS query
            FROM pg_stat_activity
            WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()
            ORDER BY query_start
            LIMIT 20;`,
        },
        {
          what: 'The locks those long statements hold or wait for.',
          sql: sql`
            SELECT l.pid, l.locktype, l.mode, l.granted, l.relation::regclass AS relation
            FROM pg_locks l
            JOIN pg_stat_activity a USING (pid)
            WHERE a.state = 'active' AND a.query_start < now() - interval '5 minutes'
            ORDER BY l.pid, l.granted;`,
        },
        SESSIONS_WAITING,
      ],
      remediation: [
        'Ask its owner first: a report or a migration may be about to finish.',
        'Stop the statement if it must go: `SELECT pg_cancel_backend(<pid>);` (the transaction stays open, aborted); `SELECT pg_terminate_backend(<pid>);` if cancelling does not end it.',
        "Look at its plan (EXPLAIN of the query; pg_stat_statements' mean time), and bound the role: `ALTER ROLE <role> SET statement_timeout = '15min';`",
      ],
    },
  },
  {
    id: 'blocking_chain',
    title: 'Session blocking others',
    category: 'sessions',
    description:
      'A session holds a lock that others wait for, directly or down a chain: they make no progress until it commits, rolls back or is stopped.',
    severity: 'warning',
    inputs: ACTIVITY,
    params: {
      min_blocked: {
        default: 1,
        unit: 'count',
        description: 'Sessions it blocks (directly or not), at least',
      },
      warning_wait_s: { default: 300, unit: 'seconds', description: 'Longest wait behind it: warning' },
      critical_wait_s: { default: 600, unit: 'seconds', description: 'Longest wait behind it: critical' },
    },
    anchors:
      'pganalyze Blocking Queries (300 s warning, 600 s critical; it also requires 3 blocked sessions, here 1); check_postgres lockwait; pgwatch blocking_locks',
    runbook: runbookOf('blocking_chain'),
    relatedAlerts: ['blocking_locks'],
    guide: {
      meaning:
        'Sessions wait for a lock that one session (the root of the chain) holds: they make no progress, their connections stay taken, and a queued ACCESS EXCLUSIVE request (ALTER TABLE) makes every later reader of the table wait too.',
      checks: [
        SESSIONS_WAITING,
        {
          what: 'The lock requests not granted, and on what.',
          sql: sql`
            SELECT l.pid, l.locktype, l.mode, l.relation::regclass AS relation, l.transactionid,
                   now() - a.query_start AS waiting, left(a.query, 120) AS query
            FROM pg_locks l
            JOIN pg_stat_activity a USING (pid)
            WHERE NOT l.granted
            ORDER BY a.query_start;`,
        },
        SESSION_TIMEOUTS,
      ],
      remediation: [
        'End the root blocker, not its victims: `SELECT pg_cancel_backend(<pid>);` if it is running a statement, `SELECT pg_terminate_backend(<pid>);` if it sits idle in its transaction or cancelling does not release the lock.',
        "Run schema changes with a lock timeout so that they give up instead of queueing everyone: `SET lock_timeout = '5s';` before the DDL, and retry.",
      ],
    },
  },
];
