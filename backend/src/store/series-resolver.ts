import { Labels } from '../collectors/types';
import { Queryable } from './queryable';
import { canonicalLabels, SeriesKeys } from './series-keys';
import { storeQuery } from './store-query';

/** Series upserted per statement. */
const UPSERT_CHUNK = 1000;

/**
 * The store ids of a batch's series (by local number), from the cache or, for the ones not
 * resolved yet, by upserting them (which also refreshes their seen_at).
 */
export async function resolveSeries(
  db: Queryable,
  keys: SeriesKeys,
  locals: Int32Array,
): Promise<Int32Array> {
  const missing = new Set<number>();
  for (const local of locals) if (keys.storeId(local) === 0) missing.add(local);
  const pending = [...missing];
  for (let i = 0; i < pending.length; i += UPSERT_CHUNK) {
    const chunk = pending.slice(i, i + UPSERT_CHUNK);
    const json = `[${chunk
      .map((local) => {
        const key = keys.key(local);
        return `{"target":${JSON.stringify(key.target)},"metric":${JSON.stringify(key.metric)},"labels":${key.labels}}`;
      })
      .join(',')}]`;
    const { rows } = await db.query<{ id: number; target: string; metric: string; labels: Labels }>(
      storeQuery('upsert-series'),
      [json],
    );
    for (const row of rows) {
      const local = keys.find(row.target, row.metric, canonicalLabels(row.labels));
      if (local !== undefined) keys.setStoreId(local, row.id);
    }
  }
  const ids = new Int32Array(locals.length);
  for (let i = 0; i < locals.length; i++) {
    const id = keys.storeId(locals[i] as number);
    if (id === 0)
      throw new RangeError(`series ${JSON.stringify(keys.key(locals[i] as number))} did not resolve`);
    ids[i] = id;
  }
  return ids;
}
