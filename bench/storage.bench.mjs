/* global process, console, URL */
// Storage loop benchmark: the relations, unused_indexes and partitions collectors on a database with
// many tables, against the raw SQL of the same statements measured in the same run (the baseline).
//
//   npm run build && node bench/storage.bench.mjs [tables]      (or BENCH_TABLES=100000 node ...)
//
// Starts its own PostgreSQL 18 (embedded binaries, throwaway data folder), creates <tables> tables
// (default 10,000), each with an index and a few rows, plus 10 monthly-partitioned tables of 24
// partitions, runs VACUUM ANALYZE, then times each collector (median of 5, one warm connection as
// the scheduler's pool gives) and its raw SQL. Reports ms, the collector/raw ratio and the temp
// bytes the statements wrote (0 expected). Target: the whole loop <= 1 s at 10,000 tables.
// Exports run() for a shared bench runner; runs main() when invoked directly.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const dist = (module) => new URL(`../backend/dist/${module}`, import.meta.url).href;
const { binariesDir, EmbeddedPostgres } = await import(dist('embedded/postgres-server.js'));
const { collectContext } = await import(dist('collectors/context.js'));
const { inspectServer } = await import(dist('db/server-info.js'));
const { sqlFile } = await import(dist('sql/sql-file.js'));
const { queryFileFor } = await import(dist('collectors/sql-variants.js'));
const { relationsCollector } = await import(dist('collectors/relations/index.js'));
const { unusedIndexesCollector } = await import(dist('collectors/unused_indexes/index.js'));
const { partitionsCollector } = await import(dist('collectors/partitions/index.js'));
const { timeValuesToConvert } = await import(dist('collectors/partitions/derive.js'));

const RUNS = 5;
const TARGET_MS = 1000;
const TOP_N = { statements: 50, relations: 50, indexes: 50 };
const BUDGET_MS = 10_000; // the storage loop's default budget
const BATCH = 500; // tables per DO block (one transaction: bounded lock table use)
const PARTITIONED = 10;
const MONTHS = 24;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const elapsed = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const log = (message) => console.error(`[storage.bench] ${message}`);

async function createSchema(client, tables) {
  for (let from = 1; from <= tables; from += BATCH) {
    const to = Math.min(tables, from + BATCH - 1);
    await client.query(`DO $$ BEGIN FOR i IN ${from}..${to} LOOP
      EXECUTE format('CREATE TABLE t_%s (id int, v text)', i);
      EXECUTE format('CREATE INDEX t_%s_v ON t_%s (v)', i, i);
      EXECUTE format('INSERT INTO t_%s SELECT g, md5(g::text) FROM generate_series(1, %s) g', i, i % 97);
    END LOOP; END $$`);
    if (to % 5000 === 0 || to === tables) log(`${to} tables`);
  }
  await client.query(`DO $$ BEGIN FOR p IN 1..${PARTITIONED} LOOP
    EXECUTE format('CREATE TABLE events_%s (id int, ts timestamptz) PARTITION BY RANGE (ts)', p);
    EXECUTE format('CREATE INDEX ON events_%s (id)', p);
    FOR m IN -${MONTHS - 2}..1 LOOP
      EXECUTE format('CREATE TABLE events_%s_%s PARTITION OF events_%s FOR VALUES FROM (%L) TO (%L)', p, m + 100, p,
        date_trunc('month', now()) + make_interval(months => m), date_trunc('month', now()) + make_interval(months => m + 1));
    END LOOP;
  END LOOP; END $$`);
}

/** The statements a collector runs, with the parameters it passes, for the raw baseline. */
async function rawStatements(client, major) {
  const file = (name) => sqlFile(queryFileFor(name, major));
  const partitionRows = (await client.query(file('partitions'), [TOP_N.relations])).rows;
  const { values, keyTypes } = timeValuesToConvert(partitionRows);
  return {
    relations: [
      [file('relations'), [TOP_N.relations]],
      [file('relation-indexes'), [TOP_N.indexes]],
      [file('relation-counts'), []],
    ],
    unused_indexes: [[file('unused-indexes'), [TOP_N.indexes]]],
    partitions: [
      [file('partitions'), [TOP_N.relations]],
      ...(values.length > 0 ? [[file('partition-bound-epochs'), [values, keyTypes]]] : []),
    ],
  };
}

async function tempBytes(client) {
  // This session's pending statistics reach shared memory before the next statement (15+).
  await client.query('SELECT pg_stat_force_next_flush()');
  await client.query('SELECT 1');
  const { rows } = await client.query(
    'SELECT temp_bytes::float8 AS b FROM pg_stat_database WHERE datname = current_database()',
  );
  return rows[0].b;
}

/** Times the storage loop's collectors on a fresh server; returns the report rows. */
export async function run({ tables = 10_000 } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pgg-bench-'));
  const server = new EmbeddedPostgres({
    binDir: binariesDir('pg-bin-18'),
    dataDir,
    password: randomBytes(18).toString('base64url'),
    settings: {
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      autovacuum: 'off', // no background work competing with the timings; VACUUM ANALYZE runs once
      max_locks_per_transaction: 1024,
      max_connections: 20,
    },
  });
  const stopOnSignal = () => void server.destroy().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  let client;
  try {
    await server.start();
    const admin = new pg.Client({ connectionString: server.url() });
    await admin.connect();
    await admin.query('CREATE DATABASE bench');
    await admin.end();

    client = new pg.Client({ connectionString: server.url('bench'), application_name: 'pg-governor' });
    await client.connect();
    let start = process.hrtime.bigint();
    await createSchema(client, tables);
    log(`schema created in ${(elapsed(start) / 1000).toFixed(1)} s`);
    start = process.hrtime.bigint();
    await client.query('VACUUM ANALYZE');
    log(`VACUUM ANALYZE in ${(elapsed(start) / 1000).toFixed(1)} s`);
    const { rows: shape } = await client.query(
      "SELECT count(*) FILTER (WHERE relkind = 'r')::int AS tables, count(*) FILTER (WHERE relkind = 'i')::int AS indexes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'",
    );

    const info = await inspectServer(client);
    await client.query("SELECT set_config('statement_timeout', $1, false)", [`${BUDGET_MS}ms`]);
    const raw = await rawStatements(client, info.major);
    const state = new Map();
    const collectOnce = (collector) => {
      const now = Date.now();
      const context = collectContext({
        client,
        target: 'bench',
        server: info,
        state,
        topN: TOP_N,
        queryText: { maxLength: 1024, redact: true },
        now,
        deadline: now + BUDGET_MS,
      });
      return collector.collect(context);
    };

    const report = [];
    for (const collector of [relationsCollector, unusedIndexesCollector, partitionsCollector]) {
      const statements = raw[collector.name];
      await collectOnce(collector); // warm caches, as a pooled connection is
      for (const [text, params] of statements) await client.query(text, params);
      const before = await tempBytes(client);
      const collectorMs = [];
      const rawMs = [];
      let samples = 0;
      const timeCollector = async () => {
        const t = process.hrtime.bigint();
        samples = (await collectOnce(collector)).samples.length;
        collectorMs.push(elapsed(t));
      };
      const timeRaw = async () => {
        const t = process.hrtime.bigint();
        for (const [text, params] of statements) await client.query(text, params);
        rawMs.push(elapsed(t));
      };
      // Alternate which goes first, so that neither always runs on caches the other warmed.
      for (let i = 0; i < RUNS; i++) {
        if (i % 2 === 0) await timeCollector().then(timeRaw);
        else await timeRaw().then(timeCollector);
      }
      const temp = (await tempBytes(client)) - before;
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
    process.removeListener('SIGINT', stopOnSignal);
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
    `\nstorage loop on PostgreSQL ${major}: ${tables} tables, ${indexes} indexes in public, top N = ${TOP_N.relations}\n`,
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
