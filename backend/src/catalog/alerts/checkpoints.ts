import { maxBy, metric } from './ast';
import { AlertDefinition } from './types';
import { singleMetricFixture, T } from './helpers';

export const CHECKPOINT_ALERTS: AlertDefinition[] = [
  {
    id: 'checkpoint_thrash',
    name: 'PgCheckpointThrash',
    category: 'wal',
    component: 'postgresql',
    summary: '{{value}} of the checkpoints on {{label.target}} were requested rather than timed',
    description:
      'Over the last hour {{value}} of checkpoints were requested (max_wal_size reached, CHECKPOINT commands) instead of started by checkpoint_timeout (threshold {{threshold}}): checkpoints come too often, with full-page-image WAL and I/O bursts after each. Read from pg_stat_checkpointer on PostgreSQL 17+ and pg_stat_bgwriter before.',
    runbook: [
      'Usually max_wal_size is too small for the write load: raise it (no restart needed) so that checkpoint_timeout triggers most checkpoints.',
      'Rule out manual CHECKPOINT calls and frequent base backups.',
    ].join('\n'),
    unit: 'ratio',
    comparator: '>',
    levels: { warning: { threshold: 0.2, for_s: 900 } },
    instanceLabels: ['target'],
    value: () => maxBy(['target'], metric('pg_checkpoint_requested_ratio')),
    fixtures: singleMetricFixture('pg_checkpoint_requested_ratio', T, 0.01),
  },
];
