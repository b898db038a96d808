import { Pool } from 'pg';
import { GovernorMode } from '../config/schema';
import { insertEvents } from './batch-inserts';
import { eventRecordJson } from './event-record';
import { ensurePartitions, utcDay } from './partitions';
import { storableText } from './storable-json';
import { inTransaction } from '../sql/transaction';
import { withClient } from './transaction';
import { StoredEvent } from './types';
import { storeQuery } from './store-query';

/** A governor mode an operator set through the API; it wins over the configured mode until cleared. */
export interface ModeOverride {
  target: string;
  mode: GovernorMode;
  by: string;
  /** ms since epoch */
  at: number;
}

/** The operators' governor modes, kept in the store (governor_modes) so they survive restarts. */
export interface ModeOverrideStore {
  load(): Promise<ModeOverride[]>;
  /**
   * Sets (override) or clears (undefined: the configured mode again) a target's override and
   * writes its journal event, in one transaction: durable together when this resolves.
   */
  save(target: string, override: ModeOverride | undefined, event: StoredEvent): Promise<void>;
}

const MODES: readonly string[] = ['observe', 'dry-run', 'enforce'];

export class StoredModeOverrides implements ModeOverrideStore {
  constructor(private readonly pool: Pool) {}

  async load(): Promise<ModeOverride[]> {
    const { rows } = await this.pool.query<{
      target: string;
      mode: string;
      set_by: string;
      set_at_ms: number;
    }>(storeQuery('governor-modes'));
    return rows
      .filter((r) => MODES.includes(r.mode))
      .map((r) => ({ target: r.target, mode: r.mode as GovernorMode, by: r.set_by, at: r.set_at_ms }));
  }

  async save(target: string, override: ModeOverride | undefined, event: StoredEvent): Promise<void> {
    const json = `[${eventRecordJson(event)}]`;
    await withClient(this.pool, async (client) => {
      // Partition DDL outside the transaction: it takes its own lock and may be retried.
      await ensurePartitions(client, 'events', [utcDay(event.time)]);
      await inTransaction(client, async () => {
        if (override)
          await client.query(storeQuery('upsert-governor-mode'), [
            target,
            override.mode,
            storableText(override.by),
            override.at,
          ]);
        else await client.query(storeQuery('delete-governor-mode'), [target]);
        await insertEvents(client, json);
      });
    });
  }
}
