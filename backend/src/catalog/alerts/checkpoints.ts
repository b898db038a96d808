import { maxBy, metric } from './ast';
import { AlertDefinition } from './types';
import { CHECKPOINT_CHECKS } from '../findings/guide-checks';
import { NO_DATA, singleMetricFixture, T } from './helpers';

export const CHECKPOINT_ALERTS: AlertDefinition[] = [
  {
    id: 'checkpoint_thrash',
    name: 'PgCheckpointThrash',
    category: 'wal',
    component: 'postgresql',
    summary: '{{value}} of the checkpoints on {{label.target}} were requested rather than timed',
    description:
      'Over the last hour {{value}} of checkpoints were requested (max_wal_size reached, CHECKPOINT commands) instead of started by checkpoint_timeout (threshold {{threshold}}): checkpoints come too often, with full-page-image WAL and I/O bursts after each. Read from pg_stat_checkpointer on PostgreSQL 17+ and pg_stat_bgwriter before.',
    runbook: {
      meaning:
        'Checkpoints start because WAL reached max_wal_size rather than on checkpoint_timeout: they come too often, each one is followed by a burst of full-page images in WAL and by write I/O, and latency suffers.',
      checks: CHECKPOINT_CHECKS,
      remediation: [
        "Raise max_wal_size so that checkpoint_timeout starts most checkpoints (no restart): `ALTER SYSTEM SET max_wal_size = '16GB'; SELECT pg_reload_conf();` keep room for it on the WAL disk.",
        'Rule out manual CHECKPOINT calls in jobs and frequent base backups.',
      ],
    },
    noData: NO_DATA.onlyWhileWrong,
    unit: 'ratio',
    comparator: '>',
    levels: { warning: { threshold: 0.2, for_s: 900 } },
    instanceLabels: ['target'],
    value: () => maxBy(['target'], metric('pg_checkpoint_requested_ratio')),
    fixtures: singleMetricFixture('pg_checkpoint_requested_ratio', T, 0.01),
  },
];
