import { randomInt } from '../random';
import { SessionBody } from '../session';
import { pause } from './wait';

// A sort far larger than work_mem: it spills to a temp file (pg_stat_database.temp_files moves).
const EXPORT = 'SELECT id FROM demo.orders ORDER BY md5(id::text) OFFSET $1';

// The slow part is an init plan sleeping once; the aggregate itself is cheap, so the session shows
// as one long 'active' query without burning CPU.
const SLOW_SUMMARY = `
  WITH pause AS MATERIALIZED (SELECT pg_sleep($1::float8))
  SELECT o.status, count(*) AS orders, sum(o.amount) AS revenue
    FROM demo.orders o CROSS JOIN pause
   GROUP BY o.status`;

/**
 * The analyst's report: a spilling export, then a summary that runs 60-120 s, over and over, so there
 * is always a long-running active query (and a temp-file pulse every minute or two).
 */
export const report: SessionBody = async ({ query, signal, counters }) => {
  await query("SET work_mem = '64kB'");
  for (;;) {
    await query(EXPORT, [1_000_000]);
    counters.bump('tempSpills');
    // Idle for a moment: PostgreSQL 15+ flushes a backend's statistics (the temp file) only when
    // it has been idle for a second, not between two back-to-back statements.
    await pause(2_000, 5_000, signal);
    await query(SLOW_SUMMARY, [randomInt(60, 120)]);
    counters.bump('reports');
  }
};
