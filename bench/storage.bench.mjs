/* global process, console */
// Storage loop benchmark: every collector of the storage loop (relations, unused_indexes,
// schema_health, sequences, partitions, ...) on a database with many tables, against the raw SQL of
// the same statements measured in the same run (the baseline).
//
//   npm run build && node bench/storage.bench.mjs [tables]      (or BENCH_TABLES=100000 node ...)
//
// Starts its own PostgreSQL 18 (embedded binaries, throwaway data folder, default work_mem 4 MB,
// log_temp_files = 0: its log names each statement that spills, listed), creates <tables> tables
// (default 10,000), each with an index and a few rows, plus 10 monthly-partitioned tables of 24
// partitions, runs VACUUM ANALYZE, then times each collector (median of 5, one warm connection set
// up as the scheduler sets it up, default config) and the statements it sent, recorded from a real
// cycle (same text, same parameters). Reports ms, the collector/raw ratio and the temp bytes a cycle
// writes on the server (pg_stat_database.temp_bytes, per collector cycle and per run of its raw SQL;
// 0 expected). Targets: the whole loop <= 1 s at 10,000 tables (<= 5 s at 100,000), 0 temp bytes.
// Every cycle timed is one that ranks relations and indexes by size (the relations collector does
// it every size_ranking.interval_s, and reads the Top-N ranked last in between): the costliest.
// Then, as information, each statement of the hourly loop (wraparound, the table and index bloat
// estimates, ...) on the same tables, run alone (median of 5 after the recording cycle).
// Exports run() for a shared bench runner; runs main() when invoked directly.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { elapsed, median, tempUsage, timed } from './support/measure.mjs';
import { startBenchServer } from './support/server.mjs';
import { inspectServer } from './support/dist.mjs';
import { createTables, MANY_TABLES_SETTINGS } from './support/tables.mjs';

import { collectOnce, collectorsOf, DEFAULTS, recordStatements, setLoopTimeout } from './support/loops.mjs';

const RUNS = 5;
const TARGET_MS = 1000;
const TARGET_MS_100K = 5000;
const PARTITIONED = 10;
const MONTHS = 24;

const log = (message) => console.error(`[storage.bench] ${message}`);

async function createSchema(client, tables) {
  await createTables(client, tables, 'storage.bench');
  await client.query(`DO $$ BEGIN FOR p IN 1..${PARTITIONED} LOOP
    EXECUTE format('CREATE TABLE events_%s (id int, ts timestamptz) PARTITION BY RANGE (ts)', p);
    EXECUTE format('CREATE INDEX ON events_%s (id)', p);
    FOR m IN -${MONTHS - 2}..1 LOOP
      EXECUTE format('CREATE TABLE events_%s_%s PARTITION OF events_%s FOR VALUES FROM (%L) TO (%L)', p, m + 100, p,
        date_trunc('month', now()) + make_interval(months => m), date_trunc('month', now()) + make_interval(months => m + 1));
    END LOOP;
  END LOOP; END $$`);
}

/**
 * Temp files the server logs (log_temp_files = 0: a "temporary file" line, then the statement),
 * totalled by the statement's first line (a sql/collectors file's first comment line).
 */
function spillLog() {
  const spills = new Map();
  let size;
  const onLog = (line) => {
    const file = /LOG:\s+temporary file: .*size (\d+)/.exec(line);
    if (file) size = Number(file[1]);
    const statement = size === undefined ? null : /STATEMENT:\s+(.*)/.exec(line);
    if (!statement) return;
    const key = statement[1].slice(0, 100);
    const total = spills.get(key) ?? { files: 0, bytes: 0 };
    spills.set(key, { files: total.files + 1, bytes: total.bytes + size });
    size = undefined;
  };
  return { onLog, spills: () => [...spills].map(([statement, t]) => ({ statement, ...t })) };
}

/** Each statement the hourly loop's collectors send, recorded from a real cycle, timed alone. */
async function timeHourlyStatements(client, info, states) {
  await setLoopTimeout(client, 'hourly');
  const rows = [];
  for (const collector of collectorsOf('hourly', info)) {
    for (const { text, values, file } of await recordStatements({ client, info, collector, states })) {
      const ms = [];
      for (let i = 0; i < RUNS; i++) ms.push((await timed(() => client.query(text, values))).ms);
      rows.push({ collector: collector.name, file, ms: median(ms) });
    }
  }
  return rows;
}

/** Times the storage loop's collectors on a fresh server; returns the report rows. */
export async function run({ tables = 10_000 } = {}) {
  const spills = spillLog();
  const server = await startBenchServer({
    major: 18,
    // no background work competing with the timings; VACUUM ANALYZE runs once
    settings: { ...MANY_TABLES_SETTINGS, autovacuum: 'off', log_temp_files: 0 },
    onLog: spills.onLog,
  });
  let client;
  try {
    const admin = new pg.Client({ connectionString: server.url() });
    await admin.connect();
    await admin.query('CREATE DATABASE bench');
    await admin.end();

    client = new pg.Client({ connectionString: server.url('bench'), application_name: 'pg-governor' });
    await client.connect();
    const schema = await timed(() => createSchema(client, tables));
    log(`schema created in ${(schema.ms / 1000).toFixed(1)} s`);
    const vacuum = await timed(() => client.query('VACUUM ANALYZE'));
    log(`VACUUM ANALYZE in ${(vacuum.ms / 1000).toFixed(1)} s`);
    const { rows: shape } = await client.query(
      "SELECT count(*) FILTER (WHERE relkind = 'r')::int AS tables, count(*) FILTER (WHERE relkind = 'i')::int AS indexes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'",
    );

    const info = await inspectServer(client);
    await setLoopTimeout(client, 'storage');
    const states = new Map();
    // Every cycle ranks by size, as a storage cycle does every size_ranking.interval_s: the worst case.
    const context = { sizeRankingIntervalMs: 0 };
    const tempBytes = async () => (await tempUsage(client, info.major)).bytes;

    const report = [];
    for (const collector of collectorsOf('storage', info)) {
      // A first cycle warms caches, as a pooled connection is, and records the statements it
      // sends (same text, same parameters) for the raw baseline.
      const statements = await recordStatements({ client, info, collector, states, context });
      const runRaw = async () => {
        for (const { text, values } of statements) await client.query(text, values);
      };
      await runRaw();
      const collectorMs = [];
      const rawMs = [];
      const temp = { collector: 0, raw: 0 };
      let samples = 0;
      // Temp bytes written by each run, read around it (outside the timed part).
      const tempOf = async (side, fn) => {
        const before = await tempBytes();
        await fn();
        temp[side] += (await tempBytes()) - before;
      };
      const timeCollector = () =>
        tempOf('collector', async () => {
          const t = process.hrtime.bigint();
          samples = (await collectOnce({ client, info, collector, states, context })).samples.length;
          collectorMs.push(elapsed(t));
        });
      const timeRaw = () => tempOf('raw', async () => rawMs.push((await timed(runRaw)).ms));
      // Alternate which goes first, so that neither always runs on caches the other warmed.
      for (let i = 0; i < RUNS; i++) {
        if (i % 2 === 0) await timeCollector().then(timeRaw);
        else await timeRaw().then(timeCollector);
      }
      const row = {
        collector: collector.name,
        collector_ms: median(collectorMs),
        raw_sql_ms: median(rawMs),
        ratio: median(collectorMs) / median(rawMs),
        // per cycle: the collector's, and its raw SQL's (the same statements run directly)
        temp_bytes: temp.collector / RUNS,
        raw_temp_bytes: temp.raw / RUNS,
        samples,
      };
      report.push(row);
    }
    const hourly = await timeHourlyStatements(client, info, states);
    return {
      requested: tables,
      tables: shape[0].tables,
      indexes: shape[0].indexes,
      major: info.major,
      report,
      hourly,
      // what the server logged spilling (the schema's creation and VACUUM write none at these sizes)
      spills: spills.spills(),
    };
  } finally {
    await client?.end().catch(() => undefined);
    await server.destroy();
  }
}

/** The loop's target: <= 1 s at 10,000 tables, <= 5 s at the expensive size (100,000). */
export const targetMs = (requested) => (requested > 10_000 ? TARGET_MS_100K : TARGET_MS);

/** The detailed report: per collector, then the loop; temp bytes per cycle against the raw SQL's. */
export function print({ requested, tables, indexes, major, report, hourly = [], spills = [] }) {
  console.log(
    `\nstorage loop on PostgreSQL ${major}: ${tables} tables, ${indexes} indexes in public, top N = ${DEFAULTS.top_n.relations}\n`,
  );
  console.log('collector        collector ms   raw SQL ms   ratio   temp B/cycle   raw temp B/run   samples');
  const bytes = (value) => String(Math.round(value)).padStart(14);
  for (const r of report) {
    console.log(
      `${r.collector.padEnd(16)} ${r.collector_ms.toFixed(1).padStart(12)} ${r.raw_sql_ms.toFixed(1).padStart(12)} ${r.ratio.toFixed(2).padStart(7)} ${bytes(r.temp_bytes)} ${bytes(r.raw_temp_bytes).padStart(16)} ${String(r.samples).padStart(9)}`,
    );
  }
  const sum = (key) => report.reduce((total, r) => total + r[key], 0);
  const loopMs = sum('collector_ms');
  const rawMs = sum('raw_sql_ms');
  const tempPerCycle = sum('temp_bytes');
  const target = targetMs(requested);
  console.log(
    `${'storage loop'.padEnd(16)} ${loopMs.toFixed(1).padStart(12)} ${rawMs.toFixed(1).padStart(12)} ${(loopMs / rawMs).toFixed(2).padStart(7)} ${bytes(tempPerCycle)} ${bytes(sum('raw_temp_bytes')).padStart(16)}`,
  );
  console.log(
    `\n${loopMs <= target ? 'within' : 'OVER'} the ${target} ms target at ${requested} tables; ${tempPerCycle === 0 ? 'no temp files' : `${(tempPerCycle / 1e6).toFixed(1)} MB of temp files a cycle (target 0)`}`,
  );
  for (const spill of spills)
    console.log(`  server log: ${spill.files} temp files, ${spill.bytes} bytes from: ${spill.statement}`);
  console.log(`\nhourly loop statements on the same tables, each run alone (median of ${RUNS})`);
  for (const h of hourly)
    console.log(`${h.collector.padEnd(18)} ${h.file.padEnd(42)} ${h.ms.toFixed(1).padStart(8)} ms`);
  const hourlyMs = hourly.reduce((total, h) => total + h.ms, 0);
  console.log(
    `${'hourly loop'.padEnd(18)} ${'(every statement)'.padEnd(42)} ${hourlyMs.toFixed(1).padStart(8)} ms`,
  );
  console.log(
    JSON.stringify({
      bench: 'storage',
      tables,
      indexes,
      major,
      loop_ms: loopMs,
      raw_sql_ms: rawMs,
      temp_bytes_per_cycle: tempPerCycle,
      report,
      hourly,
    }),
  );
  return tempPerCycle;
}

async function main() {
  const requested = Number(process.argv[2] ?? process.env.BENCH_TABLES ?? 10_000);
  if (!Number.isInteger(requested) || requested < 1)
    throw new Error(`table count must be a positive integer, got ${requested}`);
  log(
    `PostgreSQL 18, ${requested} tables (+${PARTITIONED} partitioned x ${MONTHS} partitions), median of ${RUNS}`,
  );
  if (print(await run({ tables: requested })) !== 0) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
