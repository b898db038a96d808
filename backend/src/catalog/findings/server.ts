import { FindingKind, runbookOf } from './types';

export const SERVER_FINDINGS: FindingKind[] = [
  {
    id: 'frequent_checkpoints',
    title: 'Checkpoints requested too often',
    category: 'server',
    description:
      'Many checkpoints are requested (max_wal_size reached, CHECKPOINT commands) rather than timed: each brings a burst of writes and full-page images in the WAL.',
    severity: 'warning',
    inputs: [{ collector: 'checkpoints' }],
    counters: ['pg_checkpoints_requested_total', 'pg_checkpoints_timed_total'],
    params: {
      max_requested_ratio: {
        default: 0.2,
        unit: 'ratio',
        description: 'Requested / all checkpoints over the window, above: warning',
      },
      min_checkpoints: {
        default: 4,
        unit: 'count',
        description: 'Checkpoints in the window, at least (one manual CHECKPOINT is not thrash)',
      },
      window_s: { default: 3600, unit: 'seconds', description: 'Window the share is measured over' },
    },
    anchors:
      'the alert checkpoint_thrash (20 % over an hour); pgwatch bgwriter / checkpointer; check_postgres checkpoint',
    runbook: runbookOf('frequent_checkpoints'),
  },
  {
    id: 'temp_spill',
    title: 'Queries spilling to temporary files',
    category: 'server',
    description:
      'Sorts and hashes that do not fit in work_mem write temporary files at a high rate: disk I/O the queries wait on.',
    severity: 'warning',
    inputs: [{ collector: 'database_stats' }],
    counters: ['pg_database_temp_bytes_total'],
    params: {
      warning_bytes_per_second: {
        default: 10 * 1024 ** 2,
        unit: 'bytes_per_second',
        description: 'Temporary bytes written per second over the window, per database: warning',
      },
      window_s: { default: 900, unit: 'seconds', description: 'Window the rate is measured over' },
    },
    anchors:
      'the alert temp_surge (10 MiB/s floor); pgwatch db_stats temp_bytes; pganalyze (temp file usage)',
    runbook: runbookOf('temp_spill'),
  },
  {
    id: 'settings_pending_restart',
    title: 'Settings waiting for a restart',
    category: 'server',
    description:
      'Settings changed in the configuration take effect only at the next restart: the running server differs from its configuration, and the next restart (maybe a failover) changes behaviour.',
    severity: 'warning',
    inputs: [{ collector: 'settings' }],
    params: {},
    anchors:
      'pgmonitor PGSettingsPendingRestart (critical there; warning here: nothing is broken until the restart)',
    runbook: runbookOf('settings_pending_restart'),
  },
];
