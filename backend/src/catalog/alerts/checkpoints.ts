import { maxBy, metric } from './ast';
import { AlertDefinition } from './types';
import { NO_DATA, singleMetricFixture, sql, T } from './helpers';

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
      checks: [
        {
          what: 'Timed against requested checkpoints since the statistics reset (PostgreSQL 17+; before 17: checkpoints_timed and checkpoints_req in pg_stat_bgwriter).',
          sql: sql`
            SELECT num_timed, num_requested,
                   round(100.0 * num_requested / nullif(num_timed + num_requested, 0), 1) AS requested_pct,
                   write_time, sync_time, stats_reset
            FROM pg_stat_checkpointer;`,
        },
        {
          what: 'The settings that decide when a checkpoint starts.',
          sql: sql`
            SELECT name, setting, unit
            FROM pg_settings
            WHERE name IN ('max_wal_size', 'min_wal_size', 'checkpoint_timeout',
                           'checkpoint_completion_target', 'wal_compression', 'full_page_writes');`,
        },
        {
          what: 'WAL volume and full-page images since the statistics reset.',
          sql: sql`
            SELECT wal_records, wal_fpi, pg_size_pretty(wal_bytes) AS wal_bytes, stats_reset
            FROM pg_stat_wal;`,
        },
      ],
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
