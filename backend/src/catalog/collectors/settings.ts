import { counter, gauge } from '../define';
import { CollectorDefinition } from '../types';

/** Numeric settings exported as `pg_setting{name}`: sizing and limits a dashboard compares against. */
export const GAUGE_SETTINGS: readonly string[] = [
  'autovacuum_freeze_max_age',
  'autovacuum_max_workers',
  'autovacuum_multixact_freeze_max_age',
  'autovacuum_naptime',
  'autovacuum_vacuum_cost_limit',
  'checkpoint_timeout',
  'effective_cache_size',
  'idle_in_transaction_session_timeout',
  'lock_timeout',
  'maintenance_work_mem',
  'max_connections',
  'max_locks_per_transaction',
  'max_parallel_workers',
  'max_prepared_transactions',
  'max_replication_slots',
  'max_slot_wal_keep_size',
  'max_wal_senders',
  'max_wal_size',
  'max_worker_processes',
  'min_wal_size',
  'shared_buffers',
  'statement_timeout',
  'superuser_reserved_connections',
  'wal_keep_size',
  'work_mem',
];
/**
 * Hourly loop: the server's settings, what changed since the previous cycle, and what waits for a
 * restart. Values are never labels; only a fixed list of numeric settings become gauges, labelled
 * by setting name.
 */
export const settingsDefinition: CollectorDefinition = {
  name: 'settings',
  loop: 'hourly',
  description:
    'Settings (pg_settings), drift between cycles, settings pending a restart, key sizing settings as gauges',
  queries: ['settings', 'settings-pending'],
  metrics: [
    gauge(
      'pg_settings_pending_restart',
      'Settings changed in the configuration files that take effect only after a restart',
    ),
    counter(
      'pg_settings_changed_total',
      'Setting value changes seen between cycles since PG Governor started',
    ),
    gauge(
      'pg_setting',
      `Selected numeric settings (${GAUGE_SETTINGS.length}, e.g. max_connections, shared_buffers); memory in bytes, time in seconds`,
      'short',
      ['name'],
    ),
  ],
  snapshots: [
    {
      kind: 'settings',
      description: 'Every setting as the collector session sees it (passwords in connection strings masked)',
      columns: [
        { name: 'name', type: 'string' },
        { name: 'setting', type: 'string' },
        { name: 'unit', type: 'string' },
        { name: 'vartype', type: 'string' },
        {
          name: 'context',
          type: 'string',
          description: 'postmaster: needs a restart; sighup: a reload; ...',
        },
        { name: 'source', type: 'string' },
        { name: 'pending_restart', type: 'boolean' },
      ],
    },
    {
      kind: 'settings_drift',
      description:
        'Settings waiting for a restart, then value changes seen since start (newest first, last 100)',
      columns: [
        { name: 'name', type: 'string' },
        { name: 'change', type: 'string', description: 'pending_restart or changed' },
        { name: 'old', type: 'string', description: 'pending_restart: the running value' },
        {
          name: 'new',
          type: 'string',
          description:
            'pending_restart: the configuration files value as written (null when the role may not read pg_file_settings)',
        },
        { name: 'unit', type: 'string' },
        { name: 'source', type: 'string' },
        { name: 'detected_at', type: 'time' },
      ],
    },
  ],
};
