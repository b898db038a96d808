import { TIMED_XMIN_HOLDER_KINDS, XMIN_HOLDER_KINDS } from '../../catalog/collectors/xmin-horizon';
import { CollectResult, Sample, SnapshotRow } from '../types';

/** A row of sql/collectors/xmin-horizon.pg*.sql: one holder of the transaction horizon. */
export interface XminHolderRow {
  holder_kind: string;
  holder: string | null;
  pid: number | null;
  usename: string | null;
  application_name: string | null;
  client_addr: string | null;
  datname: string | null;
  state: string | null;
  backend_type: string | null;
  backend_start_us: string | null;
  slot_type: string | null;
  active: boolean | null;
  xmin: string | null;
  age_transactions: number | null;
  age_seconds: number | null;
  since_ms: number | null;
  [key: string]: unknown;
}

/**
 * The oldest holder's age per kind as metrics (0 for a kind holding nothing, so that a released
 * horizon shows as a drop, not a gap) and every holder as a row, oldest first.
 */
export function deriveXminHorizon(rows: XminHolderRow[]): CollectResult {
  const oldest = new Map<string, { transactions: number; seconds: number }>();
  for (const row of rows) {
    const known = oldest.get(row.holder_kind) ?? { transactions: 0, seconds: 0 };
    oldest.set(row.holder_kind, {
      transactions: Math.max(known.transactions, row.age_transactions ?? 0),
      seconds: Math.max(known.seconds, row.age_seconds ?? 0),
    });
  }
  const samples: Sample[] = [];
  for (const kind of XMIN_HOLDER_KINDS) {
    const age = oldest.get(kind);
    samples.push({
      metric: 'pg_xmin_horizon_age_transactions',
      labels: { holder_kind: kind },
      value: age?.transactions ?? 0,
    });
    if (TIMED_XMIN_HOLDER_KINDS.includes(kind))
      samples.push({
        metric: 'pg_xmin_horizon_age_seconds',
        labels: { holder_kind: kind },
        value: age?.seconds ?? 0,
      });
  }
  const snapshot: SnapshotRow[] = [...rows]
    .sort((a, b) => (b.age_transactions ?? 0) - (a.age_transactions ?? 0))
    .map((r) => ({
      holder_kind: r.holder_kind,
      holder: r.holder,
      pid: r.pid,
      usename: r.usename,
      application_name: r.application_name,
      client_addr: r.client_addr,
      datname: r.datname,
      state: r.state,
      backend_type: r.backend_type,
      backend_start_us: r.backend_start_us,
      slot_type: r.slot_type,
      active: r.active,
      xmin: r.xmin,
      age_transactions: r.age_transactions,
      age_seconds: r.age_seconds,
      since: r.since_ms,
    }));
  return { samples, snapshots: [{ kind: 'xmin_horizon', rows: snapshot }] };
}
