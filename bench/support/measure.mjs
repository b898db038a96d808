/* global process, setTimeout */
// Timing and temp-file helpers shared by the benchmarks.

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The p-th percentile (nearest rank): p99 of 100 values is the 99th smallest. */
export const percentile = (values, p) =>
  [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * values.length) - 1)];

/** ms since a process.hrtime.bigint() start. */
export const elapsed = (start) => Number(process.hrtime.bigint() - start) / 1e6;

/** ms one call of fn took. */
export async function timed(fn) {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: elapsed(start), value };
}

/**
 * Temp files and bytes written so far on the whole server, as this session sees them after
 * flushing its own pending statistics (PostgreSQL 15+; on 14 the stats collector is given 1.2 s).
 */
export async function tempUsage(client, major) {
  if (major >= 15) await client.query('SELECT pg_stat_force_next_flush()');
  else await new Promise((resolve) => setTimeout(resolve, 1200));
  const { rows } = await client.query(
    'SELECT sum(temp_files)::float8 AS files, sum(temp_bytes)::float8 AS bytes FROM pg_stat_database',
  );
  return { files: rows[0].files, bytes: rows[0].bytes };
}
