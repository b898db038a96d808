import { SLOT_DECODING_COUNTERS } from '../../catalog/collectors/replication';
import { sanitizeLabelValue } from '../../lib/label-value';
import { CollectResult, Sample, SnapshotRow } from '../types';

/** A row of sql/collectors/replication-replicas.pg*.sql: one WAL sender on the primary. */
export interface ReplicaRow {
  application_name: string | null;
  state: string | null;
  sync_state: string | null;
  sync_priority: number | null;
  client_addr: string | null;
  slot_name: string | null;
  backend_start_ms: number | null;
  reply_time_ms: number | null;
  sent_lag_bytes: number | null;
  write_lag_bytes: number | null;
  flush_lag_bytes: number | null;
  replay_lag_bytes: number | null;
  write_lag_seconds: number | null;
  flush_lag_seconds: number | null;
  replay_lag_seconds: number | null;
  [key: string]: unknown;
}

/** A row of sql/collectors/replication-slots.pg*.sql. */
export interface SlotRow {
  slot_name: string;
  slot_type: string;
  database: string | null;
  plugin: string | null;
  temporary: boolean;
  active: boolean;
  wal_status: string | null;
  safe_wal_bytes: number | null;
  retained_wal_bytes: number | null;
  inactive_since_ms: number | null;
  invalidation_reason: string | null;
  /** pg_stat_replication_slots (logical slots; null for physical ones): see SLOT_DECODING_COUNTERS. */
  spill_txns?: number | null;
  spill_count?: number | null;
  spill_bytes?: number | null;
  stream_txns?: number | null;
  stream_count?: number | null;
  stream_bytes?: number | null;
  total_txns?: number | null;
  total_bytes?: number | null;
  [key: string]: unknown;
}

export const LAG_KINDS = ['write', 'flush', 'replay'] as const;
export type LagKind = (typeof LAG_KINDS)[number];

/** A WAL sender streaming a base backup (pg_basebackup) is a copy in progress, not a replica. */
const BACKUP_STATE = 'backup';

/**
 * Lag in seconds of one kind. The walsender measures it only while WAL flows: NULL before the
 * first measurement and again once the standby has caught up and the primary has been quiet for
 * a while. NULL therefore means "no lag" only when the byte lag of the same kind is 0; a NULL
 * with bytes outstanding is unknown, and no sample is better than a false 0.
 */
export function lagSeconds(seconds: number | null, bytes: number | null): number | undefined {
  if (seconds !== null) return Math.max(0, seconds);
  return bytes !== null && bytes <= 0 ? 0 : undefined;
}

/**
 * The `replica` label: the walreceiver's application_name (a standby's configured name, e.g.
 * cluster_name, never a user name), sanitized. Standbys left at the default name "walreceiver"
 * would collide: duplicates get their client address, then a counter, in a stable order.
 */
export function replicaLabels(rows: Pick<ReplicaRow, 'application_name' | 'client_addr'>[]): string[] {
  const base = rows.map((r) => sanitizeLabelValue(r.application_name || 'unnamed'));
  const counts = new Map<string, number>();
  for (const name of base) counts.set(name, (counts.get(name) ?? 0) + 1);
  const taken = new Set<string>();
  return base.map((name, i) => {
    let label = (counts.get(name) ?? 0) > 1 ? `${name}@${rows[i]?.client_addr ?? 'local'}` : name;
    for (let n = 2; taken.has(label); n++) label = `${name}@${rows[i]?.client_addr ?? 'local'}#${n}`;
    taken.add(label);
    return label;
  });
}

/** 1 for a standby a commit waits for: sync, or a member of a quorum (ANY n) set. */
const isSynchronous = (syncState: string | null) => syncState === 'sync' || syncState === 'quorum';

/** Everything the primary says about its replicas and slots. */
export function derivePrimaryReplication(replicas: ReplicaRow[], slots: SlotRow[]): CollectResult {
  const samples: Sample[] = [];
  const rows: SnapshotRow[] = [];
  const streaming = replicas.filter((r) => r.state !== BACKUP_STATE);
  const labels = replicaLabels(streaming);

  streaming.forEach((r, i) => {
    const replica = labels[i] as string;
    for (const kind of LAG_KINDS) {
      const bytes = r[`${kind}_lag_bytes`] as number | null;
      const seconds = lagSeconds(r[`${kind}_lag_seconds`] as number | null, bytes);
      if (bytes !== null)
        samples.push({
          metric: 'pg_replication_lag_bytes',
          labels: { replica, kind },
          value: Math.max(0, bytes),
        });
      if (seconds !== undefined)
        samples.push({ metric: 'pg_replication_lag_seconds', labels: { replica, kind }, value: seconds });
    }
    samples.push({
      metric: 'pg_replica_sync',
      labels: { replica },
      value: isSynchronous(r.sync_state) ? 1 : 0,
    });
    rows.push({
      object: 'replica',
      name: replica,
      state: r.state,
      sync_state: r.sync_state,
      sync_priority: r.sync_priority,
      client_addr: r.client_addr,
      slot_name: r.slot_name,
      backend_start: r.backend_start_ms,
      reply_time: r.reply_time_ms,
      sent_lag_bytes: r.sent_lag_bytes,
      write_lag_bytes: r.write_lag_bytes,
      flush_lag_bytes: r.flush_lag_bytes,
      replay_lag_bytes: r.replay_lag_bytes,
      write_lag_seconds: lagSeconds(r.write_lag_seconds, r.write_lag_bytes) ?? null,
      flush_lag_seconds: lagSeconds(r.flush_lag_seconds, r.flush_lag_bytes) ?? null,
      replay_lag_seconds: lagSeconds(r.replay_lag_seconds, r.replay_lag_bytes) ?? null,
    });
  });
  samples.push({ metric: 'pg_replicas_connected', labels: {}, value: streaming.length });

  for (const s of slots) {
    const slot_name = sanitizeLabelValue(s.slot_name);
    samples.push({
      metric: 'pg_replication_slot_active',
      labels: { slot_name, slot_type: s.slot_type },
      value: s.active ? 1 : 0,
    });
    if (s.retained_wal_bytes !== null)
      samples.push({
        metric: 'pg_replication_slot_retained_wal_bytes',
        labels: { slot_name },
        value: Math.max(0, s.retained_wal_bytes),
      });
    if (s.safe_wal_bytes !== null)
      samples.push({
        metric: 'pg_replication_slot_safe_wal_bytes',
        labels: { slot_name },
        value: s.safe_wal_bytes,
      });
    const decoding: SnapshotRow = {};
    for (const spec of SLOT_DECODING_COUNTERS) {
      const value = s[spec.column];
      decoding[spec.column] = typeof value === 'number' ? value : null;
      if (typeof value === 'number') samples.push({ metric: spec.metric, labels: { slot_name }, value });
    }
    rows.push({
      object: 'slot',
      name: s.slot_name,
      slot_type: s.slot_type,
      database: s.database,
      plugin: s.plugin,
      temporary: s.temporary,
      active: s.active,
      wal_status: s.wal_status,
      retained_wal_bytes: s.retained_wal_bytes,
      safe_wal_bytes: s.safe_wal_bytes,
      inactive_since: s.inactive_since_ms,
      invalidation_reason: s.invalidation_reason,
      ...decoding,
    });
  }
  return { samples, snapshots: [{ kind: 'replication', rows }] };
}

/** A row of sql/collectors/replication-standby.pg*.sql. */
export interface StandbyRow {
  in_recovery: boolean;
  replay_pause_state: string | null;
  receive_lsn: string | null;
  replay_lsn: string | null;
  receive_replay_lag_bytes: number | null;
  replay_lag_seconds: number | null;
  last_replay_ms: number | null;
  receiver_status: string | null;
  receiver_slot_name: string | null;
  sender_host: string | null;
  sender_port: number | null;
  received_tli: number | null;
  last_msg_receipt_ms: number | null;
  latest_end_ms: number | null;
  [key: string]: unknown;
}

/**
 * What a server says about itself as a standby. On a primary: only pg_replication_is_standby 0,
 * and no snapshot, so that the primary collector's 'replication' snapshot stays the only one.
 */
export function deriveStandby(row: StandbyRow | undefined): CollectResult {
  if (!row?.in_recovery)
    return { samples: [{ metric: 'pg_replication_is_standby', labels: {}, value: 0 }], snapshots: [] };
  const samples: Sample[] = [
    { metric: 'pg_replication_is_standby', labels: {}, value: 1 },
    { metric: 'pg_wal_receiver_connected', labels: {}, value: row.receiver_status === 'streaming' ? 1 : 0 },
    // 'pause requested' counts: replay stops at the next record either way.
    {
      metric: 'pg_standby_replay_paused',
      labels: {},
      value: row.replay_pause_state && row.replay_pause_state !== 'not paused' ? 1 : 0,
    },
  ];
  if (row.replay_lag_seconds !== null)
    samples.push({
      metric: 'pg_standby_replay_lag_seconds',
      labels: {},
      value: Math.max(0, row.replay_lag_seconds),
    });
  if (row.receive_replay_lag_bytes !== null)
    samples.push({
      metric: 'pg_standby_receive_replay_lag_bytes',
      labels: {},
      value: Math.max(0, row.receive_replay_lag_bytes),
    });
  return {
    samples,
    snapshots: [
      {
        kind: 'replication',
        rows: [
          {
            object: 'standby',
            name: null,
            slot_name: row.receiver_slot_name,
            state: row.receiver_status,
            replay_pause_state: row.replay_pause_state,
            sender_host: row.sender_host,
            sender_port: row.sender_port,
            received_tli: row.received_tli,
            receive_lsn: row.receive_lsn,
            replay_lsn: row.replay_lsn,
            replay_lag_bytes: row.receive_replay_lag_bytes,
            replay_lag_seconds: row.replay_lag_seconds,
            last_replay: row.last_replay_ms,
            last_msg_receipt: row.last_msg_receipt_ms,
            latest_end: row.latest_end_ms,
          },
        ],
      },
    ],
  };
}
