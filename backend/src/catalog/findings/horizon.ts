import { FindingKind, runbookOf } from './types';

export const HORIZON_FINDINGS: FindingKind[] = [
  {
    id: 'xmin_horizon',
    title: 'Transaction horizon held back',
    category: 'vacuum',
    description:
      'Something holds the oldest xmin back (a session snapshot, a prepared transaction, a replication slot or a standby with hot_standby_feedback): VACUUM runs but removes no row deleted since, tables and indexes bloat, and freezing cannot advance past it. One finding per kind of holder, naming the oldest.',
    severity: 'warning',
    inputs: [{ collector: 'xmin_horizon' }],
    params: {
      warning_xid_age: {
        default: 10_000_000,
        unit: 'transactions',
        description: 'age(xmin) of the holder: warning (5 % of the default autovacuum_freeze_max_age)',
      },
      critical_xid_age: {
        default: 100_000_000,
        unit: 'transactions',
        description:
          'age(xmin): critical (half of the default autovacuum_freeze_max_age: anti-wraparound vacuums stop gaining)',
      },
      prepared_warning_age_s: {
        default: 60,
        unit: 'seconds',
        description: 'A prepared transaction this old: warning (a two-phase commit in flight is not)',
      },
      prepared_critical_age_s: {
        default: 3600,
        unit: 'seconds',
        description: 'A prepared transaction this old: critical',
      },
    },
    anchors:
      'pganalyze VACUUM: xmin horizon; check_postgres prepared_txns (warns at 1 s; 60 s here so that a two-phase commit in flight is not reported), txn_time; pgmonitor PGReplicationSlotsInactive. Transaction ages: ours, from autovacuum_freeze_max_age.',
    runbook: runbookOf('xmin_horizon'),
  },
];
