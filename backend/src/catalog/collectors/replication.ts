import { CollectorDefinition, CounterColumn, SnapshotDefinition } from '../types';
import { counterMetrics, gauge } from '../define';

const counter = (column: string, metric: string, help: string, unit = 'short'): CounterColumn => ({
  column,
  metric,
  help,
  unit,
});

/**
 * A logical slot's decoding statistics (pg_stat_replication_slots), as
 * `pg_replication_slot_<what>_total{slot_name}`: spilled to disk when a transaction outgrows
 * logical_decoding_work_mem, streamed in progress instead, decoded in all.
 */
export const SLOT_DECODING_COUNTERS: CounterColumn[] = [
  counter(
    'spill_txns',
    'pg_replication_slot_spill_txns_total',
    'Transactions spilled to disk by logical decoding (their changes outgrew logical_decoding_work_mem)',
  ),
  counter(
    'spill_count',
    'pg_replication_slot_spill_count_total',
    'Times logical decoding spilled changes to disk (a transaction may spill many times)',
  ),
  counter(
    'spill_bytes',
    'pg_replication_slot_spill_bytes_total',
    'Bytes of decoded changes spilled to disk (pg_replslot)',
    'bytes',
  ),
  counter(
    'stream_txns',
    'pg_replication_slot_stream_txns_total',
    'In-progress transactions streamed to the consumer (instead of spilled) once they outgrew logical_decoding_work_mem',
  ),
  counter(
    'stream_count',
    'pg_replication_slot_stream_count_total',
    'Times logical decoding streamed an in-progress transaction to the consumer',
  ),
  counter(
    'stream_bytes',
    'pg_replication_slot_stream_bytes_total',
    'Bytes of in-progress transactions streamed to the consumer',
    'bytes',
  ),
  counter(
    'total_txns',
    'pg_replication_slot_decoded_txns_total',
    'Transactions decoded and sent to the output plugin',
  ),
  counter(
    'total_bytes',
    'pg_replication_slot_decoded_bytes_total',
    'Bytes of transactions decoded and sent to the output plugin',
    'bytes',
  ),
];

/**
 * One table for both sides: on a primary, a row per replica (WAL sender) and per slot; on a
 * standby, one row about itself. `object` says which; columns that do not apply are null.
 */
const replicationSnapshot: SnapshotDefinition = {
  kind: 'replication',
  description:
    'Replicas with their lag and state, replication slots with the WAL they retain, or (on a standby) its own replay state',
  columns: [
    { name: 'object', type: 'string', description: 'replica, slot or standby' },
    {
      name: 'name',
      type: 'string',
      description: 'replica: the replica label (application_name); slot: slot name',
    },
    { name: 'state', type: 'string', description: 'replica: WAL sender state; standby: WAL receiver status' },
    { name: 'sync_state', type: 'string' },
    { name: 'sync_priority', type: 'number' },
    { name: 'client_addr', type: 'string' },
    { name: 'slot_name', type: 'string' },
    { name: 'backend_start', type: 'time' },
    { name: 'reply_time', type: 'time', description: 'last reply from the replica' },
    { name: 'sent_lag_bytes', type: 'number', unit: 'bytes' },
    { name: 'write_lag_bytes', type: 'number', unit: 'bytes' },
    { name: 'flush_lag_bytes', type: 'number', unit: 'bytes' },
    {
      name: 'replay_lag_bytes',
      type: 'number',
      unit: 'bytes',
      description: 'standby: received but not yet replayed',
    },
    { name: 'write_lag_seconds', type: 'number', unit: 's' },
    { name: 'flush_lag_seconds', type: 'number', unit: 's' },
    { name: 'replay_lag_seconds', type: 'number', unit: 's' },
    { name: 'slot_type', type: 'string' },
    { name: 'database', type: 'string' },
    { name: 'plugin', type: 'string' },
    { name: 'temporary', type: 'boolean' },
    { name: 'active', type: 'boolean' },
    { name: 'wal_status', type: 'string', description: 'reserved, extended, unreserved or lost' },
    { name: 'retained_wal_bytes', type: 'number', unit: 'bytes' },
    {
      name: 'safe_wal_bytes',
      type: 'number',
      unit: 'bytes',
      description: 'WAL writable before the slot is invalidated (null: no limit)',
    },
    { name: 'inactive_since', type: 'time', description: 'PostgreSQL 17+' },
    { name: 'invalidation_reason', type: 'string', description: 'PostgreSQL 17+' },
    ...SLOT_DECODING_COUNTERS.map((c) => ({
      name: c.column,
      type: 'number' as const,
      ...(c.unit === 'bytes' ? { unit: 'bytes' } : {}),
      description: `logical slot, since the statistics reset: ${c.help.charAt(0).toLowerCase()}${c.help.slice(1)}`,
    })),
    { name: 'replay_pause_state', type: 'string' },
    { name: 'sender_host', type: 'string' },
    { name: 'sender_port', type: 'number' },
    { name: 'received_tli', type: 'number' },
    { name: 'receive_lsn', type: 'string' },
    { name: 'replay_lsn', type: 'string' },
    { name: 'last_replay', type: 'time', description: 'commit time of the last replayed transaction' },
    { name: 'last_msg_receipt', type: 'time' },
    { name: 'latest_end', type: 'time' },
  ],
};

/**
 * Workload loop, primaries: lag of every replica (bytes exact, seconds from the WAL sender's lag
 * tracking), the WAL every replication slot holds back and what logical decoding spilled and
 * streamed. Skipped on a standby, where pg_current_wal_lsn() errors; cascading standbys are not
 * covered.
 */
export const replicationDefinition: CollectorDefinition = {
  name: 'replication',
  loop: 'workload',
  description:
    'Replica lag (write/flush/replay, bytes and seconds), sync state, replication slots with their retained WAL and logical decoding spill and stream (pg_stat_replication_slots)',
  queries: ['replication-replicas', 'replication-slots'],
  primaryOnly: true,
  metrics: [
    gauge(
      'pg_replication_lag_seconds',
      'Replica lag behind the primary by kind (write, flush, replay); 0 when idle and caught up',
      's',
      ['replica', 'kind'],
    ),
    gauge(
      'pg_replication_lag_bytes',
      'WAL between the primary write position and what the replica has written, flushed or replayed',
      'bytes',
      ['replica', 'kind'],
    ),
    gauge('pg_replicas_connected', 'WAL senders serving replicas (base backups excluded)', 'short'),
    gauge(
      'pg_replica_sync',
      'Whether commits wait for the replica (sync or quorum: 1; async or potential: 0)',
      'short',
      ['replica'],
    ),
    gauge('pg_replication_slot_active', 'Whether a consumer is connected to the slot', 'short', [
      'slot_name',
      'slot_type',
    ]),
    gauge(
      'pg_replication_slot_retained_wal_bytes',
      'WAL the slot keeps from removal (current WAL position - restart_lsn)',
      'bytes',
      ['slot_name'],
    ),
    gauge(
      'pg_replication_slot_safe_wal_bytes',
      'WAL that can still be written before the slot is invalidated by max_slot_wal_keep_size (absent: no limit)',
      'bytes',
      ['slot_name'],
    ),
    ...counterMetrics(SLOT_DECODING_COUNTERS, ['slot_name']),
  ],
  snapshots: [replicationSnapshot],
};

/**
 * Workload loop, every server: whether it is a standby and, if it is, how far its replay trails
 * what it received and whether its WAL receiver is connected. Its SQL answers harmlessly on a
 * primary, so it runs everywhere and reports pg_replication_is_standby 0 there.
 */
export const standbyDefinition: CollectorDefinition = {
  name: 'replication_standby',
  loop: 'workload',
  description: 'Standby role, replay lag (seconds and bytes), replay pause and WAL receiver connection',
  queries: ['replication-standby'],
  metrics: [
    gauge('pg_replication_is_standby', 'Whether the server is in recovery (a standby: 1)', 'short'),
    gauge(
      'pg_standby_replay_lag_seconds',
      'now() - last replayed commit time; 0 when everything received has been replayed',
      's',
    ),
    gauge('pg_standby_receive_replay_lag_bytes', 'WAL received but not yet replayed', 'bytes'),
    gauge('pg_standby_replay_paused', 'Whether replay is paused (pg_wal_replay_pause)', 'short'),
    gauge('pg_wal_receiver_connected', 'Whether the WAL receiver is streaming from the primary', 'short'),
  ],
  snapshots: [replicationSnapshot],
};
