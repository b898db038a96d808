import { Pool } from 'pg';
import { storeQuery } from './store-query';

/** What another live replica's alert evaluation has pending or firing, as it last published it. */
export interface ReplicaAlerts<T = unknown> {
  replica: string;
  /** Its last evaluation (ms since the epoch), if any. */
  evaluatedAt: number | undefined;
  alerts: T[];
}

/**
 * Each replica's active alerts, kept in the store (replica_alerts) so that any replica can list
 * the whole fleet's: one row per replica, replaced every few seconds, gone when it leaves.
 */
export class StoredReplicaAlerts {
  constructor(private readonly pool: Pool) {}

  async publish(replica: string, evaluatedAt: number | undefined, alerts: unknown[]): Promise<void> {
    await this.pool.query(storeQuery('publish-replica-alerts'), [
      replica,
      evaluatedAt ?? null,
      JSON.stringify(alerts),
    ]);
  }

  /** The other live replicas' rows published within the last maxAgeMs. */
  async others<T>(replica: string, maxAgeMs: number): Promise<ReplicaAlerts<T>[]> {
    const { rows } = await this.pool.query<{
      instance: string;
      evaluated_at_ms: number | null;
      alerts: T[];
    }>(storeQuery('replica-alerts'), [maxAgeMs, replica]);
    return rows.map((r) => ({
      replica: r.instance,
      evaluatedAt: r.evaluated_at_ms === null ? undefined : Number(r.evaluated_at_ms),
      alerts: r.alerts,
    }));
  }
}
