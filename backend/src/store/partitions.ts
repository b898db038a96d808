import { Queryable } from './queryable';
import { storeQuery } from './store-query';

/** The tables partitioned by UTC day; retention drops their partitions whole. */
export const PARTITIONED_TABLES = ['samples', 'samples_1m', 'snapshots', 'events'] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

/** Days kept per kind of data (store.retention_days). */
export type RetentionDays = Record<'samples' | 'snapshots' | 'events', number>;

/** The kind whose retention a table follows: the minute rollups go with the samples. */
const RETAINED_AS: Record<PartitionedTable, keyof RetentionDays> = {
  samples: 'samples',
  samples_1m: 'samples',
  snapshots: 'snapshots',
  events: 'events',
};

export const DAY_MS = 86_400_000;

/** The UTC day of a time, as YYYY-MM-DD. */
export function utcDay(ms: number): string {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** count consecutive UTC days from the day of `from`. */
export function daysFrom(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => utcDay(from + i * DAY_MS));
}

const dateArray = (days: string[]) => `{${days.join(',')}}`;

/** Creates the missing daily partitions of a table for these days; returns how many it created. */
export async function ensurePartitions(
  db: Queryable,
  table: PartitionedTable,
  days: string[],
): Promise<number> {
  if (days.length === 0) return 0;
  const { rows } = await db.query<{ created: number }>(storeQuery('ensure-partitions'), [
    table,
    dateArray(days),
  ]);
  return rows[0]?.created ?? 0;
}

/** Drops the daily partitions of a table for days before firstKeptDay; returns their names. */
export async function dropPartitionsBefore(
  db: Queryable,
  table: PartitionedTable,
  firstKeptDay: string,
): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(storeQuery('drop-partitions'), [table, firstKeptDay]);
  return rows.map((r) => r.name);
}

/** Series are forgotten this many days after samples would be gone, so none loses its id early. */
const SERIES_GRACE_DAYS = 2;

/**
 * Retention: keeps today and the previous `days` days of each table (so at least `days` full days
 * of data), drops the older partitions, then forgets the series not written since their samples.
 */
export async function applyRetention(
  db: Queryable,
  retention: RetentionDays,
  now = Date.now(),
): Promise<{ droppedPartitions: string[]; forgottenSeries: number }> {
  const droppedPartitions: string[] = [];
  for (const table of PARTITIONED_TABLES) {
    droppedPartitions.push(
      ...(await dropPartitionsBefore(db, table, utcDay(now - retention[RETAINED_AS[table]] * DAY_MS))),
    );
  }
  const forgotten = await db.query(storeQuery('forget-series'), [retention.samples + SERIES_GRACE_DAYS]);
  return { droppedPartitions, forgottenSeries: forgotten.rowCount ?? 0 };
}
