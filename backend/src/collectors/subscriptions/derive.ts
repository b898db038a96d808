import { SUBSCRIPTION_CONFLICTS, SYNC_STATES } from '../../catalog/collectors/subscriptions';
import { sanitizeLabelValue } from '../../lib/label-value';
import { CollectResult, Sample, SnapshotRow } from '../types';

/** A row of sql/collectors/subscriptions.pg*.sql: one subscription. */
export interface SubscriptionRow {
  subscription: string;
  database: string | null;
  enabled: boolean;
  slot_name: string | null;
  worker_running: boolean;
  sync_workers: number;
  received_lsn: string | null;
  latest_end_lsn: string | null;
  last_msg_send_ms: number | null;
  last_msg_receipt_ms: number | null;
  last_msg_age_seconds: number | null;
  latest_end_ms: number | null;
  /** Tables by sync state: null for a subscription of another database. */
  tables_init: number | null;
  tables_data_copy: number | null;
  tables_finished_copy: number | null;
  tables_sync_done: number | null;
  tables_ready: number | null;
  /** PostgreSQL 15+; null before. */
  apply_error_count: number | null;
  sync_error_count: number | null;
  [key: string]: unknown;
}

/** A row of sql/collectors/subscription-conflicts.pg18.sql: one subscription's conflict counts. */
export type SubscriptionConflictRow = {
  subscription: string;
  database: string | null;
} & Record<(typeof SUBSCRIPTION_CONFLICTS)[number], number | null>;

/** pg_subscription_conflicts_total of each subscription, one series a kind of conflict. */
export function conflictSamples(rows: readonly SubscriptionConflictRow[]): Sample[] {
  const samples: Sample[] = [];
  for (const row of rows) {
    const labels = {
      datname: sanitizeLabelValue(row.database ?? ''),
      subscription: sanitizeLabelValue(row.subscription),
    };
    for (const conflict of SUBSCRIPTION_CONFLICTS) {
      const value = row[conflict];
      if (value !== null)
        samples.push({ metric: 'pg_subscription_conflicts_total', labels: { ...labels, conflict }, value });
    }
  }
  return samples;
}

/** A row of sql/collectors/subscription-tables.pg14.sql: a table not ready yet. */
export interface SubscriptionTableRow {
  subscription: string;
  schemaname: string;
  relname: string;
  /** srsubstate: i, d, f or s. */
  state: string;
  sync_lsn: string | null;
  [key: string]: unknown;
}

/**
 * What the collector remembers between cycles (ms since epoch): since when it has seen each
 * enabled subscription without its apply worker, and each table not ready. A worker seen running
 * once starts the count again; a restart of PG Governor too (the durations only ever err short).
 */
export interface SubscriptionMemory {
  workerDownSince: Map<string, number>;
  notReadySince: Map<string, number>;
}

const NOT_READY_STATES = Object.entries(SYNC_STATES).filter(([code]) => code !== 'r');

/** Tables of the connected database's subscriptions not ready yet: whether to list them. */
export function tablesNotReady(rows: readonly SubscriptionRow[]): number {
  return rows.reduce(
    (sum, row) =>
      sum +
      NOT_READY_STATES.reduce((n, [, state]) => n + ((row[`tables_${state}`] as number | null) ?? 0), 0),
    0,
  );
}

/** Subscription names are unique per database only. */
const subscriptionKey = (s: SubscriptionRow) => `${s.database ?? ''}\u0000${s.subscription}`;
const tableKey = (t: SubscriptionTableRow) => `${t.subscription}\u0000${t.schemaname}\u0000${t.relname}`;

/** Since when, carried over from the last cycle (or from now), for the keys present now. */
function since(keys: string[], previous: Map<string, number> | undefined, now: number): Map<string, number> {
  return new Map(keys.map((key) => [key, previous?.get(key) ?? now]));
}

/** The subscriptions and their tables not ready, as samples and two snapshots. */
export function deriveSubscriptions(
  subscriptions: readonly SubscriptionRow[],
  tables: readonly SubscriptionTableRow[],
  previous: SubscriptionMemory | undefined,
  now: number,
): { result: CollectResult; memory: SubscriptionMemory } {
  const down = subscriptions.filter((s) => s.enabled && !s.worker_running).map(subscriptionKey);
  const memory: SubscriptionMemory = {
    workerDownSince: since(down, previous?.workerDownSince, now),
    notReadySince: since(tables.map(tableKey), previous?.notReadySince, now),
  };
  const seconds = (from: number | undefined) => (from === undefined ? null : (now - from) / 1000);

  const samples: Sample[] = [];
  const rows: SnapshotRow[] = [];
  for (const s of subscriptions) {
    const labels = {
      datname: sanitizeLabelValue(s.database ?? ''),
      subscription: sanitizeLabelValue(s.subscription),
    };
    samples.push(
      { metric: 'pg_subscription_enabled', labels, value: s.enabled ? 1 : 0 },
      { metric: 'pg_subscription_worker_running', labels, value: s.worker_running ? 1 : 0 },
    );
    if (s.last_msg_age_seconds !== null)
      samples.push({
        metric: 'pg_subscription_last_message_age_seconds',
        labels,
        value: Math.max(0, s.last_msg_age_seconds),
      });
    const byState: SnapshotRow = {};
    for (const state of Object.values(SYNC_STATES)) {
      const count = s[`tables_${state}`] as number | null;
      byState[`tables_${state}`] = count;
      if (count !== null)
        samples.push({ metric: 'pg_subscription_tables', labels: { ...labels, state }, value: count });
    }
    if (s.apply_error_count !== null)
      samples.push({ metric: 'pg_subscription_apply_errors_total', labels, value: s.apply_error_count });
    if (s.sync_error_count !== null)
      samples.push({ metric: 'pg_subscription_sync_errors_total', labels, value: s.sync_error_count });
    rows.push({
      subscription: s.subscription,
      database: s.database,
      enabled: s.enabled,
      slot_name: s.slot_name,
      worker_running: s.worker_running,
      worker_down_seconds: seconds(memory.workerDownSince.get(subscriptionKey(s))),
      sync_workers: s.sync_workers,
      received_lsn: s.received_lsn,
      latest_end_lsn: s.latest_end_lsn,
      last_msg_send: s.last_msg_send_ms,
      last_msg_receipt: s.last_msg_receipt_ms,
      last_msg_age_seconds: s.last_msg_age_seconds === null ? null : Math.max(0, s.last_msg_age_seconds),
      latest_end: s.latest_end_ms,
      ...byState,
      apply_error_count: s.apply_error_count,
      sync_error_count: s.sync_error_count,
    });
  }

  const tableRows: SnapshotRow[] = tables.map((t) => ({
    subscription: t.subscription,
    schemaname: t.schemaname,
    relname: t.relname,
    state: SYNC_STATES[t.state] ?? t.state,
    sync_lsn: t.sync_lsn,
    not_ready_seconds: seconds(memory.notReadySince.get(tableKey(t))),
  }));
  return {
    result: {
      samples,
      snapshots: [
        { kind: 'subscriptions', rows },
        { kind: 'subscription_tables', rows: tableRows },
      ],
    },
    memory,
  };
}
