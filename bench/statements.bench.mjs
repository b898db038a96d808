/* global process, console */
// Statements collector benchmark: one workload-loop cycle of the statements collector with
// pg_stat_statements full of distinct entries, against the raw SQL of the statement it runs,
// measured in the same run (the baseline).
//
//   npm run build && node bench/statements.bench.mjs [entries] [major]
//   (or BENCH_STATEMENTS=20000 BENCH_MAJOR=14 node bench/statements.bench.mjs)
//
// Starts its own PostgreSQL (default 18; embedded binaries, throwaway data folder) with
// pg_stat_statements.max above <entries> (default 10,000), fills it with that many distinct
// statements (constants normalise away, so the statements differ in shape: SELECT of 1..100
// expressions from one of <entries>/100 tables), then:
// * times the first cycle (it also reads the query texts of the Top-N) and the raw SQL of both of
//   its statements;
// * times 10 steady-state cycles (texts cached) against the raw statements query (median of 10,
//   after a warm-up of each, alternating which goes first), and prints the ratio and absolute ms;
// * reports the temp files and bytes the collector wrote (pg_stat_database around the first cycle
//   and around 10 more steady-state cycles, nothing else running in between), and
//   for comparison those of a plain `SELECT count(*) FROM pg_stat_statements(false)`.
// Target: <= 300 ms a cycle and 0 temp bytes at 10,000 entries. Exit code 1 if the collector wrote
// a temp file. Exports run() for a shared bench runner; runs main() when invoked directly.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { median, tempUsage, timed } from './support/measure.mjs';
import { dist, startBenchServer } from './support/server.mjs';
import { inspectServer, queryFileFor, sqlFile } from './support/dist.mjs';
import { collectOnce, DEFAULTS, setLoopTimeout } from './support/loops.mjs';

const { statementsCollector } = await import(dist('collectors/statements/index.js'));
const { queryTextCacheOf } = await import(dist('collectors/statements/state.js'));

const RUNS = 10;
const TARGET_MS = 300;
const TOP_N = DEFAULTS.top_n.statements;
const TEXT_MAX = DEFAULTS.query_text.max_length;
const SHAPES = 100; // distinct select lists per table

const log = (message) => console.error(`[statements.bench] ${message}`);

/** entries distinct pg_stat_statements entries (nested statements of DO blocks, track = all). */
async function fill(client, entries) {
  const tables = Math.ceil(entries / SHAPES);
  await client.query(`DO $$ BEGIN FOR t IN 1..${tables} LOOP
    EXECUTE format('CREATE TABLE fill_%s (x int)', t); END LOOP; END $$`);
  for (let from = 1; from <= tables; from += 20) {
    const to = Math.min(tables, from + 19);
    await client.query(`DO $$ DECLARE cols text; BEGIN
      FOR t IN ${from}..${to} LOOP
        cols := 'x';
        FOR k IN 1..${SHAPES} LOOP
          IF (t - 1) * ${SHAPES} + k <= ${entries} THEN EXECUTE format('SELECT %s FROM fill_%s', cols, t); END IF;
          cols := cols || ', x + 1';
        END LOOP;
      END LOOP; END $$`);
  }
}

export async function run({ entries = 10_000, major = 18 } = {}) {
  const server = await startBenchServer({
    major,
    settings: {
      shared_preload_libraries: 'pg_stat_statements',
      'pg_stat_statements.max': entries + 2_000,
      'pg_stat_statements.track': 'all',
      track_io_timing: 'on',
      autovacuum: 'off', // no background work competing with the timings
    },
  });
  let client;
  try {
    const admin = new pg.Client({ connectionString: server.url() });
    await admin.connect();
    await admin.query('CREATE EXTENSION pg_stat_statements');
    let start = Date.now();
    await fill(admin, entries);
    log(`${entries} statements in ${((Date.now() - start) / 1000).toFixed(1)} s`);
    await admin.end();

    client = new pg.Client({ connectionString: server.url(), application_name: 'pg-governor' });
    await client.connect();
    const info = await inspectServer(client);
    await setLoopTimeout(client, statementsCollector.loop);
    const tracked = Number(
      (await client.query('SELECT count(*) AS n FROM pg_stat_statements(false)')).rows[0].n,
    );
    const settings = (await client.query("SELECT current_setting('work_mem') AS work_mem")).rows[0];

    const states = new Map();
    const cycle = () => collectOnce({ client, info, collector: statementsCollector, states });
    const statementsSql = sqlFile(queryFileFor('statements', info.major));
    const textSql = sqlFile(queryFileFor('statements-text', info.major));
    const rawStatements = () => client.query(statementsSql, [TOP_N]);

    // The first cycle reads the texts of every Top-N id; its raw baseline is both statements.
    let temp = await tempUsage(client, info.major);
    const first = await timed(cycle);
    const firstTemp = await tempUsage(client, info.major);
    const firstTempBytes = firstTemp.bytes - temp.bytes;
    const firstTempFiles = firstTemp.files - temp.files;
    const cache = queryTextCacheOf(states.get(statementsCollector.name));
    const firstTexts = cache.fetchedIds;
    const firstRaw = await timed(async () => {
      const ids = (await rawStatements()).rows.flatMap((r) => (r.queryid === null ? [] : [r.queryid]));
      await client.query(textSql, [ids, TEXT_MAX]);
    });

    // Steady state: texts cached. Warm-up, then median of RUNS, alternating with the raw SQL.
    await cycle();
    await rawStatements();
    const fetchesBefore = cache.fetches;
    let rows = 0;
    let samples = 0;
    const measured = async () => {
      const result = await cycle();
      rows = result.snapshots[0].rows.length;
      samples = result.samples.length;
    };
    const cycleMs = [];
    const rawMs = [];
    for (let i = 0; i < RUNS; i++) {
      // Alternate which goes first, so that neither always runs on caches the other warmed.
      const collectorFirst = i % 2 === 0;
      if (!collectorFirst) rawMs.push((await timed(rawStatements)).ms);
      cycleMs.push((await timed(measured)).ms);
      if (collectorFirst) rawMs.push((await timed(rawStatements)).ms);
    }
    // Temp usage over RUNS more collector cycles and nothing else.
    temp = await tempUsage(client, info.major);
    for (let i = 0; i < RUNS; i++) await cycle();
    const after = await tempUsage(client, info.major);
    const collectorTempBytes = after.bytes - temp.bytes;
    const collectorTempFiles = after.files - temp.files;
    const steadyFetches = cache.fetches - fetchesBefore;

    // For comparison: reading every entry the plain way, at the session's work_mem.
    temp = await tempUsage(client, info.major);
    const plain = await timed(() => client.query('SELECT count(*) FROM pg_stat_statements(false)'));
    const plainTemp = await tempUsage(client, info.major);

    return {
      major: info.major,
      entries: tracked,
      work_mem: settings.work_mem,
      first_cycle: {
        ms: first.ms,
        raw_sql_ms: firstRaw.ms,
        texts_fetched: firstTexts,
        temp_files: firstTempFiles,
        temp_bytes: firstTempBytes,
      },
      steady: {
        collector_ms: median(cycleMs),
        raw_sql_ms: median(rawMs),
        ratio: median(cycleMs) / median(rawMs),
        runs_ms: cycleMs,
        raw_runs_ms: rawMs,
        text_fetches: steadyFetches,
        temp_files: collectorTempFiles,
        temp_bytes: collectorTempBytes,
        snapshot_rows: rows,
        samples,
      },
      plain_read: {
        ms: plain.ms,
        temp_files: plainTemp.files - temp.files,
        temp_bytes: plainTemp.bytes - temp.bytes,
      },
    };
  } finally {
    await client?.end().catch(() => undefined);
    await server.destroy();
  }
}

async function main() {
  const entries = Number(process.argv[2] ?? process.env.BENCH_STATEMENTS ?? 10_000);
  const major = Number(process.argv[3] ?? process.env.BENCH_MAJOR ?? 18);
  if (!Number.isInteger(entries) || entries < 1)
    throw new Error(`entries must be a positive integer, got ${entries}`);
  log(`PostgreSQL ${major}, ${entries} distinct statements, top N = ${TOP_N}, median of ${RUNS}`);
  const r = await run({ entries, major });
  const f = r.first_cycle;
  const s = r.steady;
  console.log(
    `\nstatements collector on PostgreSQL ${r.major}: ${r.entries} pg_stat_statements entries, work_mem ${r.work_mem}, top N = ${TOP_N}\n`,
  );
  console.log('cycle                        collector ms   raw SQL ms   ratio   temp files   temp bytes');
  const line = (name, ms, raw, files, bytes) =>
    console.log(
      `${name.padEnd(28)} ${ms.toFixed(1).padStart(12)} ${raw.toFixed(1).padStart(12)} ${(ms / raw).toFixed(2).padStart(7)} ${String(files).padStart(12)} ${String(bytes).padStart(12)}`,
    );
  line(`first (reads ${f.texts_fetched} texts)`, f.ms, f.raw_sql_ms, f.temp_files, f.temp_bytes);
  line(`steady (median of ${RUNS})`, s.collector_ms, s.raw_sql_ms, s.temp_files, s.temp_bytes);
  console.log(
    `\nsteady state: ${s.snapshot_rows} snapshot rows, ${s.samples} samples, ${s.text_fetches} text fetches in ${2 * RUNS} cycles`,
  );
  console.log(
    `plain SELECT count(*) FROM pg_stat_statements(false): ${r.plain_read.ms.toFixed(1)} ms, ${r.plain_read.temp_files} temp files, ${r.plain_read.temp_bytes} temp bytes`,
  );
  const within = s.collector_ms <= TARGET_MS && f.ms <= TARGET_MS;
  console.log(
    `\n${entries === 10_000 ? `${within ? 'within' : 'OVER'} the ${TARGET_MS} ms target` : `(the ${TARGET_MS} ms target applies at 10,000 entries)`}; ${s.temp_bytes + f.temp_bytes === 0 ? '0 temp bytes' : 'TEMP FILES WRITTEN'}`,
  );
  console.log(JSON.stringify({ bench: 'statements', ...r }));
  if (s.temp_files + f.temp_files !== 0) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
