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
  },
];
