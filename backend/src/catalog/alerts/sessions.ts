import { maxBy, metric } from './ast';
import { AlertDefinition } from './types';
import { singleMetricFixture, T } from './helpers';

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
    runbook: [
      'Find it: the sessions table sorted by transaction age (application, user, client, query).',
      'Ask its owner; if it is stuck, pg_cancel_backend(pid) stops its statement, pg_terminate_backend(pid) ends the session.',
      'Prevent: idle_in_transaction_session_timeout, transaction_timeout (PostgreSQL 17+), statement_timeout for batch jobs.',
    ].join('\n'),
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
    runbook: [
      'Find it: the sessions table filtered on state "idle in transaction" (application, client address).',
      'Terminate it if it blocks others (pg_terminate_backend); the governor does so at its critical level when protected lists allow.',
      'Fix the application (a missing commit or rollback on an error path) and set idle_in_transaction_session_timeout.',
    ].join('\n'),
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
    runbook: [
      'Find the root: the blocking chains table (the session at the root blocks the others and waits on nobody).',
      'A root idle in transaction is the common case: terminate it (pg_terminate_backend). A long DDL or VACUUM FULL: decide whether to cancel it.',
      'Prevent: lock_timeout for migrations, short transactions, no user think-time inside transactions.',
    ].join('\n'),
    unit: 'seconds',
    comparator: '>=',
    levels: { warning: { threshold: 30, for_s: 0 }, critical: { threshold: 120, for_s: 0 } },
    instanceLabels: ['target'],
    value: () => maxBy(['target'], metric('pg_lock_wait_longest_seconds')),
    fixtures: singleMetricFixture('pg_lock_wait_longest_seconds', T, 1),
  },
];
