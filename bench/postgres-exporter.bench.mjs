/* global process, console */
// Side by side with postgres_exporter (Debian package prometheus-postgres-exporter, run with its
// example queries.yaml: per-table and pg_stat_statements coverage like ours) on one database with
// 10,000 tables and pg_stat_statements on. Both measured in the same run:
//   (a) wall time of one full collection: one exporter scrape (HTTP GET /metrics, median of 5)
//       against every loop's collectors once (hot, workload, storage, hourly, each loop on one
//       connection as the scheduler runs it; median of 5, sequential: no overlap between loops);
//   (b) the database time each costs: each runs as its own pg_monitor role (exporter_bench,
//       pgg_bench), pg_stat_statements total_exec_time summed by role over those 5 runs;
//   (c) series: samples in the real backend's /metrics (node backend/dist/main.js, every loop run
//       at least once) against the samples of an exporter scrape;
//   (d) connections the backend holds on the target at peak (pg_stat_activity client backends
//       with application_name 'pg-governor', sampled every 100 ms while all loops fire every few
//       seconds; the parallel workers of its statements, which carry that name too, apart);
//   (e) connections it holds in steady state: the same count, sampled every 100 ms for a minute
//       (BENCH_STEADY_SECONDS) at the default loop intervals, once every loop has run.
// Database sizes are read every 10 minutes (database_sizes.interval_s), not every workload cycle: a pass of
// every loop does not read them (as in steady state), and their cost is printed apart and counted
// in the hour's figure. Likewise the relations collector ranks relations and indexes by size every
// hour (size_ranking.interval_s) and reads the Top-N it ranked last in between: the measured passes
// follow a warm-up pass that ranked (as in steady state), and a ranking's cost is printed apart (a
// pass that ranks) and counted in the hour's figure.
// Targets: (a) and (b) <= 0.5x the exporter, (e) <= 2. Without the exporter binary, (a)-(c) are
// 'not run' (with how to install it) and only our side is measured.
//
//   npm run build && node bench/postgres-exporter.bench.mjs [tables] [major]
//   (or BENCH_TABLES=100000 BENCH_MAJOR=18 node bench/postgres-exporter.bench.mjs)
//
// PostgreSQL 16 by default: postgres_exporter 0.11 (Debian 12) predates 17's pg_stat_checkpointer,
// and its bgwriter collector fails on 17+ (less work for it: an unfair comparison).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { median, timed } from './support/measure.mjs';
import { dist, startBenchServer } from './support/server.mjs';
import { inspectServer, queryFileFor, sqlFile } from './support/dist.mjs';
import {
  allCollectorsOf,
  DEFAULTS,
  LOOPS,
  runLoop,
  runSizeRanking,
  SIZE_RANKING_MS,
} from './support/loops.mjs';
import { createMonitorRole } from './support/roles.mjs';
import { createTablesDatabase, MANY_TABLES_SETTINGS } from './support/tables.mjs';
import { exporterBinary, exporterQueries, INSTALL_HINT, startExporter } from './support/exporter.mjs';
import {
  seriesLines,
  shortIntervals,
  sleep,
  startBackend,
  succeededCollectors,
  waitFor,
} from './support/backend-process.mjs';

const { freeLoopbackPort } = await import(dist('embedded/postgres-server.js'));
const { MAX_DATABASES } = await import(dist('collectors/database-stats/index.js'));
/** How often database_stats reads the sizes: the configuration's default (database_sizes.interval_s). */
const SIZE_REFRESH_MS = DEFAULTS.database_sizes.interval_s * 1000;

const RUNS = 5;
const TARGET_RATIO = 0.5;
const TARGET_CONNECTIONS = 2;
const STATEMENTS = 1_000; // distinct entries in pg_stat_statements, beside the benches' own
const SCRAPE_INTERVAL_S = 60; // Prometheus' default scrape_interval
const INTERVALS = { hot: 1, workload: 2, storage: 3, hourly: 4 }; // every loop soon, and overlapping
const STEADY_SECONDS = Number(process.env.BENCH_STEADY_SECONDS ?? 60);

const log = (message) => console.error(`[postgres-exporter.bench] ${message}`);

/** total_exec_time (ms) and calls in pg_stat_statements, by role name. */
async function dbTimeByRole(admin) {
  const { rows } = await admin.query(
    `SELECT r.rolname, sum(s.total_exec_time)::float8 AS ms, sum(s.calls)::int AS calls
       FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
      WHERE r.rolname IN ('pgg_bench', 'exporter_bench') GROUP BY r.rolname`,
  );
  return Object.fromEntries(rows.map((r) => [r.rolname, { ms: r.ms, calls: r.calls }]));
}

/** The role's statements costing the most database time, with the start of their text. */
async function topStatements(admin, role, limit = 5) {
  const { rows } = await admin.query(
    `SELECT s.total_exec_time::float8 AS ms, s.calls::int AS calls,
            left(regexp_replace(s.query, '\\s+', ' ', 'g'), 90) AS query
       FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
      WHERE r.rolname = $1 ORDER BY s.total_exec_time DESC LIMIT $2`,
    [role, limit],
  );
  return rows;
}

/** Runs `times` times; returns the median ms and the database time per run of `role`. */
async function measure(admin, role, times, fn) {
  await admin.query('SELECT pg_stat_statements_reset()');
  const ms = [];
  for (let i = 0; i < times; i++) ms.push((await timed(fn)).ms);
  const db = (await dbTimeByRole(admin))[role] ?? { ms: 0, calls: 0 };
  const top = (await topStatements(admin, role)).map((s) => ({
    ...s,
    ms: s.ms / times,
    calls: s.calls / times,
  }));
  return {
    ms: median(ms),
    runs_ms: ms,
    db_ms: db.ms / times,
    db_calls: db.calls / times,
    top_statements: top,
  };
}

/**
 * Our full collection, loop by loop on one warm connection (as the scheduler's pool gives): each
 * loop's wall time and database time (median and mean of RUNS), summed over the loops.
 */
async function ourCollection(admin, url, role) {
  const client = new pg.Client({ connectionString: url, application_name: 'pg-governor' });
  await client.connect();
  try {
    const info = await inspectServer(client);
    const states = new Map();
    // Warm-up: the first cycle also reads the Top-N statements' texts.
    for (const loop of LOOPS) await runLoop({ client, info, loop, states });
    const loops = [];
    for (const loop of LOOPS) {
      let collectors;
      const measured = await measure(
        admin,
        role,
        RUNS,
        async () => (collectors = await runLoop({ client, info, loop, states })),
      );
      loops.push({ loop, ...measured, collectors });
    }
    const sum = (key) => loops.reduce((total, l) => total + l[key], 0);
    const top = loops.flatMap((l) => l.top_statements).sort((a, b) => b.ms - a.ms);
    return {
      info,
      loops,
      ms: sum('ms'),
      db_ms: sum('db_ms'),
      db_calls: sum('db_calls'),
      top_statements: top.slice(0, 5),
      sizes_db_ms: await sizesRefresh(admin, client, role, info),
      ranking_db_ms: (await measure(admin, role, RUNS, () => runSizeRanking(client, info))).db_ms,
    };
  } finally {
    await client.end();
  }
}

/**
 * The database time a read of the database sizes adds to database_stats' statement (every
 * SIZE_REFRESH_MS): the statement with sizes against the same without, RUNS each.
 */
async function sizesRefresh(admin, client, role, info) {
  const text = sqlFile(queryFileFor('database-stats', info.major));
  const run = (withSizes) => measure(admin, role, RUNS, () => client.query(text, [MAX_DATABASES, withSizes]));
  const withSizes = await run(true);
  const without = await run(false);
  return Math.max(0, withSizes.db_ms - without.db_ms);
}

/**
 * Database time an hour costs: ours at the default loop intervals (and the database sizes every
 * SIZE_REFRESH_MS, the size ranking every SIZE_RANKING_MS), the exporter scraped every minute.
 */
const dbMsPerHour = (ours, exporter) => ({
  ours:
    ours.loops.reduce((total, l) => total + (l.db_ms * 3600) / DEFAULTS.loops[l.loop].interval_s, 0) +
    (ours.sizes_db_ms * 3600_000) / SIZE_REFRESH_MS +
    (ours.ranking_db_ms * 3600_000) / SIZE_RANKING_MS,
  exporter: exporter ? (exporter.db_ms * 3600) / SCRAPE_INTERVAL_S : null,
});

/** pg-governor client backends and their parallel workers on the target now. */
async function connectionsNow(admin) {
  // Parallel workers carry their leader's application_name: counted apart, they are no connection.
  const { rows } = await admin.query(
    `SELECT count(*) FILTER (WHERE backend_type = 'client backend')::int AS n,
            count(*) FILTER (WHERE backend_type = 'parallel worker')::int AS workers
       FROM pg_stat_activity WHERE application_name = 'pg-governor'`,
  );
  return rows[0];
}

/**
 * The real backend at the default loop intervals: once every collector has succeeded (every loop
 * has run), the connections it holds on the target, sampled every 100 ms for STEADY_SECONDS.
 */
async function steadyConnections(admin, url, expected) {
  const backend = await startBackend({ PGG_TARGET_URL: url });
  try {
    await waitFor(
      async () => {
        const done = succeededCollectors(await backend.metrics());
        return expected.every((name) => done.has(name)) || undefined;
      },
      120_000,
      `success of every collector at the default intervals (${expected.join(', ')})`,
      500,
    );
    const counts = [];
    const end = Date.now() + STEADY_SECONDS * 1000;
    while (Date.now() < end) {
      counts.push((await connectionsNow(admin)).n);
      await sleep(100);
    }
    const sorted = [...counts].sort((a, b) => a - b);
    const seen = new Map();
    for (const n of counts) seen.set(n, (seen.get(n) ?? 0) + 1);
    return {
      seconds: STEADY_SECONDS,
      median: sorted[Math.floor(sorted.length / 2)],
      max: sorted[sorted.length - 1],
      above_target_share: counts.filter((n) => n > TARGET_CONNECTIONS).length / counts.length,
      samples: Object.fromEntries([...seen.entries()].sort((a, b) => a[0] - b[0])),
    };
  } finally {
    await backend.stop();
  }
}

/**
 * The real backend against the target: peak connections it holds while every loop fires every few
 * seconds, and its /metrics once every collector has succeeded at least once.
 */
async function backendSide(admin, url, expected) {
  const backend = await startBackend({ PGG_TARGET_URL: url, ...shortIntervals(INTERVALS) });
  let peak = 0;
  let peakWorkers = 0;
  const seen = new Map();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const now = await connectionsNow(admin);
      peak = Math.max(peak, now.n);
      peakWorkers = Math.max(peakWorkers, now.workers);
      seen.set(now.n, (seen.get(now.n) ?? 0) + 1);
      await sleep(100);
    }
  })();
  try {
    const start = Date.now();
    await waitFor(() => backend.ready().then((ok) => ok || undefined), 60_000, 'the backend /readyz 200');
    const exposition = await waitFor(
      async () => {
        const text = await backend.metrics();
        const done = succeededCollectors(text);
        return expected.every((name) => done.has(name)) ? text : undefined;
      },
      120_000,
      `success of every collector (${expected.join(', ')})`,
      500,
    );
    const allRanMs = Date.now() - start;
    // A few more cycles of every loop, for the peak.
    await sleep(3 * INTERVALS.hourly * 1000);
    const lines = seriesLines(exposition);
    return {
      all_collectors_ran_after_ms: allRanMs,
      series: lines.length,
      series_pg: lines.filter((l) => l.startsWith('pg_')).length,
      peak_connections: peak,
      peak_parallel_workers: peakWorkers,
      connection_samples: Object.fromEntries([...seen.entries()].sort((a, b) => a[0] - b[0])),
    };
  } finally {
    sampling = false;
    await sampler;
    await backend.stop();
  }
}

export async function run({ tables = 10_000, major = 16 } = {}) {
  const binary = exporterBinary();
  if (!binary) log(`postgres_exporter not found: not run. To install it: ${INSTALL_HINT}`);
  const server = await startBenchServer({
    major,
    settings: { ...MANY_TABLES_SETTINGS, shared_preload_libraries: 'pg_stat_statements', autovacuum: 'off' },
  });
  let admin;
  let queries;
  try {
    admin = await createTablesDatabase(server, {
      tables,
      statements: STATEMENTS,
      label: 'postgres-exporter.bench',
    });
    const ours = { role: 'pgg_bench', password: await createMonitorRole(admin, 'pgg_bench') };
    const theirs = { role: 'exporter_bench', password: await createMonitorRole(admin, 'exporter_bench') };
    const ourUrl = server.url('bench', ours.role, ours.password);

    // (a), (b): ours.
    const oursMeasured = await ourCollection(admin, ourUrl, ours.role);
    const { info } = oursMeasured;

    // (a), (b), (c): the exporter's.
    let exporter;
    if (binary) {
      queries = exporterQueries(info.major);
      if (!queries)
        throw new Error(`postgres_exporter is installed but its example queries.yaml is not where expected`);
      const exporterProcess = await startExporter({
        binary,
        dsn: `${server.url('bench', theirs.role, theirs.password)}?sslmode=disable`,
        queriesFile: queries.file,
        port: await freeLoopbackPort(),
      });
      try {
        await exporterProcess.scrape(); // warm-up, as for ours
        let exposition = '';
        const measured = await measure(
          admin,
          theirs.role,
          RUNS,
          async () => (exposition = await exporterProcess.scrape()),
        );
        const lines = seriesLines(exposition);
        exporter = {
          ...measured,
          series: lines.length,
          series_pg: lines.filter((l) => l.startsWith('pg_')).length,
          bytes: exposition.length,
          last_scrape_error: Number(/^pg_exporter_last_scrape_error (\S+)$/m.exec(exposition)?.[1] ?? NaN),
          errors_logged: [...new Set(exporterProcess.log().match(/err="[^"]*"/g) ?? [])],
          queries_file: queries.source,
          renamed_columns: queries.renamed,
        };
      } finally {
        await exporterProcess.stop();
      }
    }

    // (c), (d): the real backend.
    const expected = allCollectorsOf(info).map((c) => c.name);
    const backend = await backendSide(admin, ourUrl, expected);
    // (e): the real backend at its default intervals.
    const steady = await steadyConnections(admin, ourUrl, expected);

    const ratio = (a, b) => (exporter ? a / b : null);
    const result = {
      major: info.major,
      tables,
      exporter_binary: binary ?? null,
      ours: {
        collection_ms: oursMeasured.ms,
        db_ms: oursMeasured.db_ms,
        db_calls: oursMeasured.db_calls,
        sizes_db_ms: oursMeasured.sizes_db_ms,
        ranking_db_ms: oursMeasured.ranking_db_ms,
        top_statements: oursMeasured.top_statements,
        loops: oursMeasured.loops.map(({ loop, ms, db_ms, collectors }) => ({
          loop,
          ms,
          db_ms,
          collectors: collectors.map(({ collector, ms: collectorMs, error }) => ({
            collector,
            ms: collectorMs,
            ...(error ? { error } : {}),
          })),
        })),
        ...backend,
        steady_connections: steady,
      },
      exporter: exporter ?? null,
      db_ms_per_hour: dbMsPerHour(oursMeasured, exporter),
      ratios: {
        collection_time: ratio(oursMeasured.ms, exporter?.ms),
        db_time: ratio(oursMeasured.db_ms, exporter?.db_ms),
        series: ratio(backend.series, exporter?.series),
      },
    };
    result.ratios.db_time_per_hour = ratio(result.db_ms_per_hour.ours, result.db_ms_per_hour.exporter);
    const notRun = (name, target) => ({
      name,
      value: null,
      unit: 'x',
      target,
      pass: null,
      status: 'not run',
    });
    const vsExporter = (name, value) =>
      exporter
        ? { name, value, unit: 'x', target: `<= ${TARGET_RATIO}x`, pass: value <= TARGET_RATIO }
        : notRun(name, `<= ${TARGET_RATIO}x`);
    result.figures = [
      vsExporter(`full collection vs exporter scrape, ${tables} tables`, result.ratios.collection_time),
      vsExporter('DB time vs exporter', result.ratios.db_time),
      exporter
        ? {
            name: `DB time an hour (default loops) vs exporter scraped every ${SCRAPE_INTERVAL_S} s`,
            value: result.ratios.db_time_per_hour,
            unit: 'x',
            target: '(information)',
            pass: null,
          }
        : notRun('DB time an hour vs exporter', '(information)'),
      exporter
        ? {
            name: 'series vs exporter',
            value: result.ratios.series,
            unit: 'x',
            target: '(information)',
            pass: null,
          }
        : notRun('series vs exporter', '(information)'),
      {
        name: 'connections held on the target (peak, loops every 1-4 s)',
        value: backend.peak_connections,
        unit: '',
        target: '(information)',
        pass: null,
      },
      {
        name: `connections held on the target (steady, median of ${steady.seconds} s at default intervals)`,
        value: steady.median,
        unit: '',
        target: `<= ${TARGET_CONNECTIONS}`,
        pass: steady.median <= TARGET_CONNECTIONS,
      },
    ];
    return result;
  } finally {
    queries?.cleanup();
    await admin?.end().catch(() => undefined);
    await server.destroy();
  }
}

const fmt = (value, digits = 1) =>
  value === null || value === undefined ? 'not run' : value.toFixed(digits);

export function print(r) {
  const o = r.ours;
  const e = r.exporter;
  console.log(
    `\nPG Governor vs postgres_exporter on PostgreSQL ${r.major}: ${r.tables} tables, pg_stat_statements on`,
  );
  if (e)
    console.log(
      `exporter: ${r.exporter_binary} --extend.query-path ${e.queries_file}${e.renamed_columns.length ? ` (columns renamed: ${e.renamed_columns.join(', ')})` : ''}`,
    );
  else console.log(`exporter: not installed, comparisons not run. To install it: ${INSTALL_HINT}`);
  console.log('\n                              PG Governor     exporter   ratio   target');
  const row = (name, ours, theirs, ratio, target) =>
    console.log(
      `${name.padEnd(28)} ${String(ours).padStart(13)} ${String(theirs).padStart(12)} ${(ratio === undefined ? '' : fmt(ratio, 3)).padStart(7)}   ${target}`,
    );
  row(
    `(a) full collection ms`,
    fmt(o.collection_ms),
    fmt(e?.ms),
    r.ratios.collection_time,
    `<= ${TARGET_RATIO}x`,
  );
  row(`(b) DB time ms (exec)`, fmt(o.db_ms), fmt(e?.db_ms), r.ratios.db_time, `<= ${TARGET_RATIO}x`);
  row(
    `    with database sizes`,
    fmt(o.db_ms + o.sizes_db_ms),
    fmt(e?.db_ms),
    e ? (o.db_ms + o.sizes_db_ms) / e.db_ms : null,
    `(information: a pass that also reads the sizes, every ${SIZE_REFRESH_MS / 1000} s)`,
  );
  row(
    `    with a size ranking`,
    fmt(o.db_ms + o.ranking_db_ms),
    fmt(e?.db_ms),
    e ? (o.db_ms + o.ranking_db_ms) / e.db_ms : null,
    `(information: a pass whose storage loop also ranks relations and indexes by size, every ${SIZE_RANKING_MS / 1000} s)`,
  );
  row(`    statements per run`, fmt(o.db_calls, 0), fmt(e?.db_calls, 0), undefined, '');
  row(
    `    DB time ms an hour`,
    fmt(r.db_ms_per_hour.ours, 0),
    fmt(r.db_ms_per_hour.exporter, 0),
    r.ratios.db_time_per_hour,
    `(information: loops at default intervals, exporter every ${SCRAPE_INTERVAL_S} s)`,
  );
  row(`(c) series (all)`, o.series, e?.series ?? 'not run', r.ratios.series, '(information)');
  row(
    `    series named pg_*`,
    o.series_pg,
    e?.series_pg ?? 'not run',
    e ? o.series_pg / e.series_pg : null,
    '',
  );
  row(`(d) connections at peak`, o.peak_connections, '', undefined, '(information: loops every 1-4 s)');
  const steady = o.steady_connections;
  row(
    `(e) connections, steady`,
    steady.median,
    '',
    undefined,
    `<= ${TARGET_CONNECTIONS} (median of ${steady.seconds} s at default intervals; pool_max default 3)`,
  );
  console.log(
    `\n(d) pg-governor client backends seen (count: samples): ${JSON.stringify(o.connection_samples)}; parallel workers of their statements at peak: ${o.peak_parallel_workers}`,
  );
  console.log(
    `(e) at default intervals over ${steady.seconds} s (count: samples): ${JSON.stringify(steady.samples)}; max ${steady.max}, above ${TARGET_CONNECTIONS} ${(100 * steady.above_target_share).toFixed(1)} % of the time`,
  );
  console.log(
    `database sizes read every ${SIZE_REFRESH_MS / 1000} s: ${o.sizes_db_ms.toFixed(1)} DB ms a read (in the hour's figure)`,
  );
  console.log(
    `relations and indexes ranked by size every ${SIZE_RANKING_MS / 1000} s: ${o.ranking_db_ms.toFixed(1)} DB ms a ranking (in the hour's figure)`,
  );
  console.log(
    `every collector had succeeded ${(o.all_collectors_ran_after_ms / 1000).toFixed(1)} s after the backend listened`,
  );
  console.log('\nour collection by loop: median ms, DB ms, and each collector ms in the last run:');
  for (const l of o.loops)
    console.log(
      `  ${l.loop.padEnd(9)} ${l.ms.toFixed(1).padStart(8)} ms ${l.db_ms.toFixed(1).padStart(8)} DB ms   ${l.collectors.map((c) => `${c.collector} ${c.ms.toFixed(1)}${c.error ? ` (FAILED: ${c.error})` : ''}`).join(', ')}`,
    );
  const top = (name, list) => {
    console.log(`${name} statements costing the most DB time (ms per run, calls per run, text):`);
    for (const s of list)
      console.log(`  ${s.ms.toFixed(1).padStart(8)} ${String(s.calls).padStart(4)}  ${s.query}`);
  };
  top('our', o.top_statements);
  if (e) top("the exporter's", e.top_statements);
  if (e) {
    console.log(
      `exporter scrape: ${(e.bytes / 1e6).toFixed(1)} MB, pg_exporter_last_scrape_error ${e.last_scrape_error}`,
    );
    for (const error of e.errors_logged) console.log(`  exporter logged: ${error}`);
  }
  const { figures: _figures, ...json } = r;
  console.log(JSON.stringify({ bench: 'postgres-exporter', ...json }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const tables = Number(process.argv[2] ?? process.env.BENCH_TABLES ?? 10_000);
  const major = Number(process.argv[3] ?? process.env.BENCH_MAJOR ?? 16);
  if (!Number.isInteger(tables) || tables < 1)
    throw new Error(`tables must be a positive integer, got ${tables}`);
  run({ tables, major }).then(print, (error) => {
    console.error(error);
    process.exit(1);
  });
}
