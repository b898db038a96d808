import { maxBy, metric } from './ast';
import { AlertDefinition } from './types';
import { singleMetricFixture, T } from './helpers';

const RUNBOOK = [
  'Which tables are oldest: pg_class.relfrozenxid / relminmxid ages in the database; is an anti-wraparound autovacuum running on them (vacuum progress)?',
  'What holds the horizon back: long transactions, prepared transactions (pg_prepared_xacts), stale replication slots, standbys with hot_standby_feedback.',
  'Then VACUUM (FREEZE, VERBOSE) the oldest tables. At 100 % of 2^31 the server stops assigning IDs and only single-user mode can recover.',
].join('\n');

const DB = { ...T, datname: 'app' };

export const WRAPAROUND_ALERTS: AlertDefinition[] = [
  {
    id: 'xid_wraparound',
    name: 'PgXidWraparound',
    category: 'wraparound',
    component: 'postgresql',
    summary: 'Database {{label.datname}} on {{label.target}} is at {{value}} of transaction ID wraparound',
    description:
      'age(datfrozenxid) of {{label.datname}} is {{value}} of the 2^31 limit (threshold {{threshold}}): freezing is not keeping up.',
    runbook: RUNBOOK,
    unit: 'ratio',
    comparator: '>=',
    levels: { warning: { threshold: 0.5, for_s: 0 }, critical: { threshold: 0.75, for_s: 0 } },
    instanceLabels: ['target', 'datname'],
    value: () => maxBy(['target', 'datname'], metric('pg_database_xid_wraparound_ratio')),
    fixtures: singleMetricFixture('pg_database_xid_wraparound_ratio', DB, 0.01),
  },
  {
    id: 'mxid_wraparound',
    name: 'PgMultixactWraparound',
    category: 'wraparound',
    component: 'postgresql',
    summary: 'Database {{label.datname}} on {{label.target}} is at {{value}} of multixact ID wraparound',
    description:
      'mxid_age(datminmxid) of {{label.datname}} is {{value}} of the 2^31 limit (threshold {{threshold}}): multixact freezing is not keeping up (row locks shared by several transactions, foreign keys).',
    runbook: RUNBOOK,
    unit: 'ratio',
    comparator: '>=',
    levels: { warning: { threshold: 0.5, for_s: 0 }, critical: { threshold: 0.75, for_s: 0 } },
    instanceLabels: ['target', 'datname'],
    value: () => maxBy(['target', 'datname'], metric('pg_database_mxid_wraparound_ratio')),
    fixtures: singleMetricFixture('pg_database_mxid_wraparound_ratio', DB, 0.01),
  },
];
