import { DatabaseStatsRow } from './derive';

/**
 * How often database sizes are read: pg_database_size stats every file of a database (~100 ms at
 * 10,000 tables, over a second at 100,000), so it runs at the storage loop's default interval
 * rather than every workload cycle; the sizes read last are reported in between.
 */
export const SIZE_REFRESH_MS = 600_000;

/** The sizes read last (null: the role may not see that database), and when. */
export interface DatabaseSizes {
  at: number;
  bytes: Map<string, number | null>;
}

/**
 * Whether this cycle reads the sizes: none read yet, the last read SIZE_REFRESH_MS ago or more (or
 * in the future: the clock went back), or, given the rows read without sizes, a database that has
 * none yet (created, or newly among the busiest).
 */
export function sizesDue(sizes: DatabaseSizes | undefined, now: number, rows?: DatabaseStatsRow[]): boolean {
  if (!sizes || now - sizes.at >= SIZE_REFRESH_MS || now < sizes.at) return true;
  return rows?.some((row) => !sizes.bytes.has(row.datname)) ?? false;
}

/** The sizes of rows read with them, as of `now`. */
export function sizesOf(rows: DatabaseStatsRow[], now: number): DatabaseSizes {
  return { at: now, bytes: new Map(rows.map((row) => [row.datname, row.size_bytes])) };
}

/** Rows read without sizes, with the sizes read last. */
export function withSizes(rows: DatabaseStatsRow[], sizes: DatabaseSizes): DatabaseStatsRow[] {
  return rows.map((row) => ({ ...row, size_bytes: sizes.bytes.get(row.datname) ?? null }));
}
