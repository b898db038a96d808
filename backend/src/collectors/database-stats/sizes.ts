import { DatabaseStatsRow } from './derive';

/** The sizes read last (null: the role may not see that database), and when. */
export interface DatabaseSizes {
  at: number;
  bytes: Map<string, number | null>;
}

/**
 * Whether this cycle reads the sizes: none read yet, the last read intervalMs ago or more (or in
 * the future: the clock went back), or, given the rows read without sizes, a database that has
 * none yet (created, or newly among the busiest). pg_database_size stats every file of a database,
 * so it runs every database_sizes.interval_s (default: the storage loop's interval) rather than
 * every workload cycle.
 */
export function sizesDue(
  sizes: DatabaseSizes | undefined,
  now: number,
  intervalMs: number,
  rows?: DatabaseStatsRow[],
): boolean {
  if (!sizes || now - sizes.at >= intervalMs || now < sizes.at) return true;
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
