import { Pool } from 'pg';
import { storeQuery } from './store-query';

/** One target's findings and check states, as its owner's findings engine holds them. */
export interface SharedTargetFindings<F = unknown, C = unknown> {
  target: string;
  findings: F[];
  checks: C[];
}

/**
 * The findings of every target, kept in the store (target_findings) by their owners, so that any
 * replica can answer for the whole fleet: findings live in the memory of the replica that runs
 * the checks. One row per target; only a live owner's row is read.
 */
export class StoredTargetFindings {
  constructor(private readonly pool: Pool) {}

  async publish(owner: string, rows: SharedTargetFindings[]): Promise<void> {
    if (rows.length === 0) return;
    await this.pool.query(storeQuery('publish-target-findings'), [owner, JSON.stringify(rows)]);
  }

  /** The targets other live replicas own, with what their owners published. */
  async others<F, C>(replica: string): Promise<SharedTargetFindings<F, C>[]> {
    const { rows } = await this.pool.query<SharedTargetFindings<F, C>>(storeQuery('target-findings'), [
      replica,
    ]);
    return rows;
  }

  /** What was last published of these targets within a day, by any replica. */
  async of<F>(targets: readonly string[]): Promise<{ target: string; findings: F[] }[]> {
    if (targets.length === 0) return [];
    const { rows } = await this.pool.query<{ target: string; findings: F[] }>(
      storeQuery('target-findings-of'),
      [targets],
    );
    return rows;
  }

  /** Drops what nobody published for a day. */
  async forgetStale(): Promise<void> {
    await this.pool.query(storeQuery('target-findings-forget'));
  }
}
