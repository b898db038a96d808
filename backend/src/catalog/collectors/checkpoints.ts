import { CollectorDefinition } from '../types';
import { counter } from '../define';

/**
 * Workload loop: checkpointer and background writer activity, one metric schema on every major
 * (pg_stat_bgwriter before 17, pg_stat_checkpointer + pg_stat_bgwriter from 17).
 */
export const checkpointsDefinition: CollectorDefinition = {
  name: 'checkpoints',
  loop: 'workload',
  description:
    'Checkpoints timed and requested (restartpoints included), their write and sync time and buffers, background writer cleaning, buffer allocations, and the requested share of checkpoints over the last hour',
  queries: ['checkpoints'],
  metrics: [
    counter(
      'pg_checkpoints_timed_total',
      'Checkpoints (and restartpoints) started because checkpoint_timeout elapsed, skipped idle ones included',
    ),
    counter(
      'pg_checkpoints_requested_total',
      'Checkpoints (and restartpoints) requested: max_wal_size reached, CHECKPOINT, base backups, ...',
    ),
    counter('pg_checkpoint_write_time_seconds_total', 'Time checkpoints spent writing buffers to files', 's'),
    counter('pg_checkpoint_sync_time_seconds_total', 'Time checkpoints spent syncing files to disk', 's'),
    counter('pg_checkpoint_buffers_written_total', 'Buffers written by checkpoints and restartpoints'),
    counter('pg_bgwriter_buffers_clean_total', 'Buffers written by the background writer'),
    counter(
      'pg_bgwriter_maxwritten_clean_total',
      'Times the background writer stopped a round for writing bgwriter_lru_maxpages buffers',
    ),
    counter('pg_buffers_alloc_total', 'Shared buffers allocated'),
    {
      name: 'pg_checkpoint_requested_ratio',
      help: 'Requested share of the checkpoints of the last hour (0 when none): high means max_wal_size is too small for the write load',
      type: 'gauge',
      unit: 'percentunit',
      labels: [],
    },
  ],
};
