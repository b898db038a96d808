import { counter, gauge } from '../define';
import { CollectorDefinition } from '../types';

/**
 * Workload loop, every server: the last checkpoint's age, restarts, clock skew, the WAL directory,
 * and a change of system identifier: what check_postgres' checkpoint, cluster_id, timesync and
 * wal_files actions watch, from functions granted to pg_monitor.
 */
export const serverControlDefinition: CollectorDefinition = {
  name: 'server_control',
  loop: 'workload',
  description:
    'Age of the last checkpoint (restartpoint on a standby), server start time, clock skew against PG Governor, WAL directory size and files, and system identifier changes',
  queries: ['server-control'],
  metrics: [
    gauge(
      'pg_checkpoint_age_seconds',
      'Time since the last checkpoint started (pg_control_checkpoint); grows on an idle server, where checkpoints are skipped',
      's',
    ),
    gauge(
      'pg_postmaster_start_time_seconds',
      'When the server started (pg_postmaster_start_time), Unix time',
      's',
    ),
    gauge(
      'pg_clock_skew_seconds',
      "The server's clock minus PG Governor's (midpoint of the query): time-based metrics and findings assume it small",
      's',
    ),
    gauge('pg_wal_directory_bytes', 'Size of the WAL segment files in pg_wal (pg_ls_waldir)', 'bytes'),
    gauge('pg_wal_directory_files', 'WAL segment files in pg_wal', 'short'),
    counter(
      'pg_system_identifier_changes_total',
      'Times the system identifier differed from the previous cycle (another cluster behind the same address) since PG Governor started',
    ),
  ],
};
