/* global process, console */
// Storage loop benchmark: the relations, unused_indexes and partitions collectors on a database with
// many tables, against the raw SQL of the same statements measured in the same run (the baseline).
//
//   npm run build && node bench/storage.bench.mjs [tables]      (or BENCH_TABLES=100000 node ...)
//
// Starts its own PostgreSQL 18 (embedded binaries, throwaway data folder), creates <tables> tables
// (default 10,000), each with an index and a few rows, plus 10 monthly-partitioned tables of 24
// partitions, runs VACUUM ANALYZE, then times each collector (median of 5, one warm connection set
// up as the scheduler sets it up, default config) and the statements it sent, recorded from a real
// cycle (same text, same parameters). Reports ms, the collector/raw ratio and the temp
// bytes the statements wrote (0 expected). Target: the whole loop <= 1 s at 10,000 tables.
// Exports run() for a shared bench runner; runs main() when invoked directly.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { elapsed, median, tempUsage, timed } from './support/measure.mjs';
import { dist, startBenchServer } from './support/server.mjs';
import { inspectServer } from './support/dist.mjs';
import { collectOnce, DEFAULTS, recordStatements, setLoopTimeout } from './support/loops.mjs';
import { createTables, MANY_TABLES_SETTINGS } from './support/tables.mjs';

const { relationsCollector } = await import(dist('collectors/relations/index.js'));
const { unusedIndexesCollector } = await import(dist('collectors/unused-indexes/index.js'));
const { partitionsCollector } = await import(dist('collectors/partitions/index.js'));

const RUNS = 5;
const TARGET_MS = 1000;
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

/** Times the storage loop's collectors on a fresh server; returns the report rows. */
export async function run({ tables = 10_000 } = {}) {
  const server = await startBenchServer({
    major: 18,
    // no background work competing with the timings; VACUUM ANALYZE runs once
    settings: { ...MANY_TABLES_SETTINGS, autovacuum: 'off' },
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
    const tempBytes = async () => (await tempUsage(client, info.major)).bytes;

    const report = [];
    for (const collector of [relationsCollector, unusedIndexesCollector, partitionsCollector]) {
      // A first cycle warms caches, as a pooled connection is, and records the statements it
      // sends (same text, same parameters) for the raw baseline.
      const statements = await recordStatements({ client, info, collector, states });
      const runRaw = async () => {
        for (const { text, values } of statements) await client.query(text, values);
      };
      await runRaw();
      const before = await tempBytes();
      const collectorMs = [];
      const rawMs = [];
      let samples = 0;
      const timeCollector = async () => {
        const t = process.hrtime.bigint();
        samples = (await collectOnce({ client, info, collector, states })).samples.length;
        collectorMs.push(elapsed(t));
      };
      const timeRaw = async () => rawMs.push((await timed(runRaw)).ms);
      // Alternate which goes first, so that neither always runs on caches the other warmed.
      for (let i = 0; i < RUNS; i++) {
        if (i % 2 === 0) await timeCollector().then(timeRaw);
        else await timeRaw().then(timeCollector);
      }
      const temp = (await tempBytes()) - before;
      const row = {
        collector: collector.name,
        collector_ms: median(collectorMs),
        raw_sql_ms: median(rawMs),
        ratio: median(collectorMs) / median(rawMs),
        temp_bytes: temp,
        samples,
      };
      report.push(row);
    }
    return { tables: shape[0].tables, indexes: shape[0].indexes, major: info.major, report };
  } finally {
    await client?.end().catch(() => undefined);
    await server.destroy();
  }
}

async function main() {
  const requested = Number(process.argv[2] ?? process.env.BENCH_TABLES ?? 10_000);
  if (!Number.isInteger(requested) || requested < 1)
    throw new Error(`table count must be a positive integer, got ${requested}`);
  log(
    `PostgreSQL 18, ${requested} tables (+${PARTITIONED} partitioned x ${MONTHS} partitions), median of ${RUNS}`,
  );
  const { tables, indexes, major, report } = await run({ tables: requested });
  console.log(
    `\nstorage loop on PostgreSQL ${major}: ${tables} tables, ${indexes} indexes in public, top N = ${DEFAULTS.top_n.relations}\n`,
  );
  console.log('collector        collector ms   raw SQL ms   ratio   temp bytes   samples');
  for (const r of report) {
    console.log(
      `${r.collector.padEnd(16)} ${r.collector_ms.toFixed(1).padStart(12)} ${r.raw_sql_ms.toFixed(1).padStart(12)} ${r.ratio.toFixed(2).padStart(7)} ${String(r.temp_bytes).padStart(12)} ${String(r.samples).padStart(9)}`,
    );
  }
  const loopMs = report.reduce((sum, r) => sum + r.collector_ms, 0);
  const rawMs = report.reduce((sum, r) => sum + r.raw_sql_ms, 0);
  const verdict =
    requested > 10_000
      ? `(the ${TARGET_MS} ms target applies at 10,000 tables)`
      : `${loopMs <= TARGET_MS ? 'within' : 'OVER'} the ${TARGET_MS} ms target`;
  console.log(
    `${'storage loop'.padEnd(16)} ${loopMs.toFixed(1).padStart(12)} ${rawMs.toFixed(1).padStart(12)} ${(loopMs / rawMs).toFixed(2).padStart(7)}`,
  );
  console.log(`\n${verdict}`);
  console.log(
    JSON.stringify({ bench: 'storage', tables, indexes, major, loop_ms: loopMs, raw_sql_ms: rawMs, report }),
  );
  if (report.some((r) => r.temp_bytes !== 0)) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
