import { Queryable } from './queryable';
import { storeQuery } from './store-query';

/** A PostgreSQL array literal of numbers: far cheaper than pg's element-by-element quoting. */
const numberArray = (values: ArrayLike<number>) => `{${Array.prototype.join.call(values, ',')}}`;

/** One statement for a whole batch of samples (unnest of three arrays). */
export async function insertSamples(
  db: Queryable,
  seriesIds: Int32Array,
  times: Float64Array,
  values: Float64Array,
): Promise<void> {
  await db.query(storeQuery('insert-samples'), [
    numberArray(seriesIds),
    numberArray(times),
    numberArray(values),
  ]);
}

/** json: an array of {target, kind, ms, rows}. */
export async function insertSnapshots(db: Queryable, json: string): Promise<void> {
  await db.query(storeQuery('insert-snapshots'), [json]);
}

/** json: an array of {id, ms, target, kind, severity, title, text, tags, data}. */
export async function insertEvents(db: Queryable, json: string): Promise<void> {
  await db.query(storeQuery('insert-events'), [json]);
}
