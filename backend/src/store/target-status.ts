import { Pool } from 'pg';
import { storeQuery } from './store-query';

/** A target's status as its owner last published it. */
export interface SharedTargetStatus<T = unknown> {
  target: string;
  owner: string;
  /** ms since the epoch, on the store's clock. */
  updatedAt: number;
  status: T;
}

/**
 * What each owner sees of its targets now, kept in the store (target_status) so that any replica
 * can answer for the whole fleet: one row per target, replaced by its owner every few seconds.
 */
export class StoredTargetStatus {
  constructor(private readonly pool: Pool) {}

  async publish(owner: string, rows: { target: string; status: unknown }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.pool.query(storeQuery('publish-target-status'), [owner, JSON.stringify(rows)]);
  }

  /** Rows published within the last maxAgeMs (older ones describe no live owner's view). */
  async read<T>(maxAgeMs: number): Promise<SharedTargetStatus<T>[]> {
    const { rows } = await this.pool.query<{
      target: string;
      owner: string;
      updated_at_ms: number;
      status: T;
    }>(storeQuery('target-status'), [maxAgeMs]);
    return rows.map((r) => ({
      target: r.target,
      owner: r.owner,
      updatedAt: Number(r.updated_at_ms),
      status: r.status,
    }));
  }

  /** Drops what nobody published for a day. */
  async forgetStale(): Promise<void> {
    await this.pool.query(storeQuery('target-status-forget'));
  }
}
