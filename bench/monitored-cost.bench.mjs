/* global process, console, URL */
// What monitoring costs the monitored server: the database time our SQL takes on the target at the
// default loop intervals, as a share of one core, on a database with 10,000 tables while pgbench
// runs against it; next to pgbench's own database time in the same window and postgres_exporter's
// (scraped every 60 s) under the same load, all measured in the same run.
//
//   npm run build && node bench/monitored-cost.bench.mjs
//   (BENCH_TABLES, BENCH_MAJOR, BENCH_WINDOW_S, BENCH_PGBENCH_RATE, BENCH_PGBENCH_BIN)
//
// PostgreSQL 16 by default (postgres_exporter 0.11 fails its bgwriter collector on 17+), with
// pg_stat_statements and track_planning on: database time is total_exec_time + total_plan_time of a
// role's statements. Each side is its own role: pgg_bench (pg_monitor, our backend and the governor
// on the same DSN), pgbench_load (pgbench's transactions), exporter_bench (pg_monitor).
//  1. A database with <tables> tables (each with an index and a few rows) and pgbench's tables
//     (pgbench -i -s 10), then pgbench's default TPC-B-like script at BENCH_PGBENCH_RATE
//     transactions/s (default 200; 0: as fast as it goes) on 4 clients for the whole run.
//  2. The real backend (node backend/dist/main.js) at the default intervals; once every collector
//     has run, pg_stat_statements is reset and the window (BENCH_WINDOW_S, default 120 s, a multiple
//     of the workload loop's 60 s) is measured: the hot (5 s) and workload (60 s) loops, the target
//     monitor's probe, the governor's lease checks. Connections it holds are sampled meanwhile.
//  3. What the window cannot hold, per cycle on one pgg_bench connection as the scheduler runs it
//     (median of 3 after a warm-up, under the same load): the storage loop (every 600 s), the hourly
//     loop (every 3600 s), the database sizes (read every 600 s by database_stats) and the size
//     ranking of relations and indexes (every 3600 s by relations; the storage cycles in between
//     read the Top-N ranked last).
//  An hour: window x 3600 / window seconds + storage x 6 + hourly x 1 + sizes x 6 + ranking x 1. Share of one core:
//  that / 3,600,000 ms. Target <= 0.5 %. Baselines: pgbench's database time an hour (the window's,
//  extrapolated), and the exporter's (3 scrapes after a warm-up, x 60 an hour) when it is installed.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { median } from './support/measure.mjs';
import { dist, startBenchServer } from './support/server.mjs';
import { inspectServer, queryFileFor, sqlFile } from './support/dist.mjs';
import {
  allCollectorsOf,
  DEFAULTS,
  runLoop,
  runSizeRanking,
  serverAt,
  SIZE_RANKING_MS,
} from './support/loops.mjs';
import { createLoginRole, createMonitorRole } from './support/roles.mjs';
import { createTablesDatabase, MANY_TABLES_SETTINGS } from './support/tables.mjs';
import { exporterBinary, exporterQueries, INSTALL_HINT, startExporter } from './support/exporter.mjs';
import { sleep, startBackend, succeededCollectors, waitFor } from './support/backend-process.mjs';

const { freeLoopbackPort } = await import(dist('embedded/postgres-server.js'));
const { MAX_DATABASES } = await import(dist('collectors/database-stats/index.js'));
/** How often database_stats reads the sizes: the configuration's default (database_sizes.interval_s). */
const SIZE_REFRESH_MS = DEFAULTS.database_sizes.interval_s * 1000;

const TARGET_SHARE = 0.005; // of one core
const RUNS = 3;
const SCALE = 10; // pgbench -s: 1,000,000 accounts
const CLIENTS = 4;
const SCRAPE_INTERVAL_S = 60;
const HOUR_MS = 3_600_000;

const PGBENCH_HINT =
  'apt-get install -y postgresql-15 (Debian 12 ships pgbench with the server package), or set BENCH_PGBENCH_BIN';

const log = (message) => console.error(`[monitored-cost.bench] ${message}`);

/** pgbench: BENCH_PGBENCH_BIN, else the newest /usr/lib/postgresql/<major>/bin/pgbench. */
function pgbenchBinary() {
  if (process.env.BENCH_PGBENCH_BIN) return process.env.BENCH_PGBENCH_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  return readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => path.join(root, v, 'bin', 'pgbench'))
    .find((file) => existsSync(file));
}

/** Runs pgbench to its end (its output on failure). */
function pgbench(binary, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env: { PATH: process.env.PATH, ...env }, stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`pgbench exited ${code}: ${output.slice(-500)}`)),
    );
  });
}

/** Database time (exec + plan, ms) and calls in pg_stat_statements since its reset, by role. */
async function dbTimeByRole(admin) {
  const { rows } = await admin.query(
    `SELECT r.rolname, sum(s.total_exec_time + s.total_plan_time)::float8 AS ms, sum(s.calls)::float8 AS calls
       FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid GROUP BY r.rolname`,
  );
  return Object.fromEntries(rows.map((r) => [r.rolname, { ms: r.ms, calls: r.calls }]));
}

/** The database time of `role` for one call of fn, median of RUNS after a warm-up. */
async function perRun(admin, role, fn) {
  await fn();
  const ms = [];
  for (let i = 0; i < RUNS; i++) {
    await admin.query('SELECT pg_stat_statements_reset()');
    await fn();
    ms.push((await dbTimeByRole(admin))[role]?.ms ?? 0);
  }
  return median(ms);
}

/** The storage and hourly loops, a read of the database sizes and a size ranking: database time per cycle. */
async function perCycle(admin, url, role) {
  const client = new pg.Client({ connectionString: url, application_name: 'pg-governor' });
  await client.connect();
  try {
    const info = await inspectServer(client);
    const states = new Map();
    const loop = (name) => perRun(admin, role, () => runLoop({ client, info, loop: name, states }));
    const storage = await loop('storage');
    const hourly = await loop('hourly');
    const text = sqlFile(queryFileFor('database-stats', info.major));
    const stats = (withSizes) => perRun(admin, role, () => client.query(text, [MAX_DATABASES, withSizes]));
    const sizes = Math.max(0, (await stats(true)) - (await stats(false)));
    const ranking = await perRun(admin, role, () => runSizeRanking(client, info));
    return { storage, hourly, sizes, ranking };
  } finally {
    await client.end();
  }
}

/** The exporter's database time per scrape (median of RUNS after a warm-up), or null when not installed. */
async function exporterPerScrape(admin, server, role, password, major) {
  const binary = exporterBinary();
  if (!binary) {
    log(`postgres_exporter not found: its baseline is not run. To install it: ${INSTALL_HINT}`);
    return null;
  }
  const queries = exporterQueries(major);
  if (!queries)
    throw new Error('postgres_exporter is installed but its example queries.yaml is not where expected');
  const exporter = await startExporter({
    binary,
    dsn: `${server.url('bench', role, password)}?sslmode=disable`,
    queriesFile: queries.file,
    port: await freeLoopbackPort(),
  });
  try {
    return await perRun(admin, role, () => exporter.scrape());
  } finally {
    await exporter.stop();
    queries.cleanup();
  }
}

/** pgbench transactions since the reset: its default script inserts one history row each. */
async function pgbenchTransactions(admin) {
  const { rows } = await admin.query(
    `SELECT coalesce(sum(s.calls), 0)::float8 AS n FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
      WHERE r.rolname = 'pgbench_load' AND s.query LIKE 'INSERT INTO pgbench_history%'`,
  );
  return rows[0].n;
}

/** Connections pg-governor holds on the target now (client backends). */
async function connectionsNow(admin) {
  const { rows } = await admin.query(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'pg-governor' AND backend_type = 'client backend'",
  );
  return rows[0].n;
}

export async function run({
  tables = 10_000,
  major = 16,
  windowS = Number(process.env.BENCH_WINDOW_S ?? 120),
  rate = Number(process.env.BENCH_PGBENCH_RATE ?? 200),
} = {}) {
  const binary = pgbenchBinary();
  if (!binary) throw new Error(`pgbench not found. To install it: ${PGBENCH_HINT}`);
  const server = await startBenchServer({
    major,
    settings: {
      ...MANY_TABLES_SETTINGS,
      shared_preload_libraries: 'pg_stat_statements',
      'pg_stat_statements.track_planning': 'on',
    },
  });
  let admin;
  let load;
  try {
    admin = await createTablesDatabase(server, { tables, statements: 0, label: 'monitored-cost.bench' });
    const ours = { role: 'pgg_bench', password: await createMonitorRole(admin, 'pgg_bench') };
    const exporterRole = {
      role: 'exporter_bench',
      password: await createMonitorRole(admin, 'exporter_bench'),
    };
    const loadPassword = await createLoginRole(admin, 'pgbench_load');
    const { hostname, port } = new URL(server.url());
    const pgEnv = (user, password) => ({
      PGHOST: hostname,
      PGPORT: port,
      PGUSER: user,
      PGPASSWORD: password,
      PGDATABASE: 'bench',
    });
    const superuser = new URL(server.url());
    await pgbench(
      binary,
      ['-i', '-q', '-s', String(SCALE)],
      pgEnv(decodeURIComponent(superuser.username), decodeURIComponent(superuser.password)),
    );
    await admin.query('GRANT ALL ON ALL TABLES IN SCHEMA public TO pgbench_load');
    const version = (await pgbench(binary, ['--version'], {})).trim();
    log(`${tables} tables and pgbench -s ${SCALE} ready (${version})`);

    // 1. The load, for the rest of the run (stopped at the end).
    const loadSeconds = windowS + 900;
    const loadArgs = ['-n', '-c', String(CLIENTS), '-j', '2', '-T', String(loadSeconds)];
    if (rate > 0) loadArgs.push('-R', String(rate));
    load = spawn(binary, loadArgs, {
      env: { PATH: process.env.PATH, ...pgEnv('pgbench_load', loadPassword) },
    });
    let loadOutput = '';
    load.stdout.on('data', (chunk) => (loadOutput += chunk));
    load.stderr.on('data', (chunk) => (loadOutput += chunk));
    await sleep(3000);
    if (load.exitCode !== null) throw new Error(`pgbench stopped: ${loadOutput.slice(-500)}`);

    // 2. The real backend at the default intervals: the window.
    const ourUrl = server.url('bench', ours.role, ours.password);
    const info = await serverAt(ourUrl);
    const expected = allCollectorsOf(info).map((c) => c.name);
    const backend = await startBackend({ PGG_TARGET_URL: ourUrl });
    let window;
    let transactions = 0;
    const connections = [];
    try {
      let missing = expected;
      await waitFor(
        async () => {
          const done = succeededCollectors(await backend.metrics());
          missing = expected.filter((name) => !done.has(name));
          return missing.length === 0 || undefined;
        },
        180_000,
        'every collector to run once',
        500,
      ).catch((error) => {
        throw new Error(
          `${error.message} (not yet: ${missing.join(', ')}): ${backend.output().slice(-2000)}`,
        );
      });
      await admin.query('SELECT pg_stat_statements_reset()');
      const end = Date.now() + windowS * 1000;
      while (Date.now() < end) {
        connections.push(await connectionsNow(admin));
        await sleep(500);
      }
      window = await dbTimeByRole(admin);
      transactions = await pgbenchTransactions(admin);
    } finally {
      await backend.stop();
    }
    const ourWindow = window[ours.role] ?? { ms: 0, calls: 0 };
    const loadWindow = window.pgbench_load ?? { ms: 0, calls: 0 };

    // 3. What the window cannot hold, per cycle, under the same load.
    const cycles = await perCycle(admin, ourUrl, ours.role);
    const exporterScrape = await exporterPerScrape(
      admin,
      server,
      exporterRole.role,
      exporterRole.password,
      info.major,
    );

    const perHour = (ms, seconds) => (ms * 3600) / seconds;
    const intervals = DEFAULTS.loops;
    const ourHour = {
      hot_and_workload: perHour(ourWindow.ms, windowS),
      storage: perHour(cycles.storage, intervals.storage.interval_s),
      hourly: perHour(cycles.hourly, intervals.hourly.interval_s),
      database_sizes: perHour(cycles.sizes, SIZE_REFRESH_MS / 1000),
      size_ranking: perHour(cycles.ranking, SIZE_RANKING_MS / 1000),
    };
    const ourMsPerHour = Object.values(ourHour).reduce((a, b) => a + b, 0);
    const loadMsPerHour = perHour(loadWindow.ms, windowS);
    const exporterMsPerHour = exporterScrape === null ? null : perHour(exporterScrape, SCRAPE_INTERVAL_S);
    const sorted = [...connections].sort((a, b) => a - b);
    const result = {
      major: info.major,
      tables,
      window_s: windowS,
      pgbench: {
        binary,
        version,
        rate: rate > 0 ? rate : 'unthrottled',
        clients: CLIENTS,
        scale: SCALE,
        tps: transactions / windowS,
      },
      ours: {
        window_db_ms: ourWindow.ms,
        window_calls: ourWindow.calls,
        per_cycle_db_ms: cycles,
        db_ms_per_hour: ourMsPerHour,
        per_hour_by_part: ourHour,
        core_share: ourMsPerHour / HOUR_MS,
        connections: { median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] },
      },
      pgbench_db_ms_per_hour: loadMsPerHour,
      exporter_db_ms_per_scrape: exporterScrape,
      exporter_db_ms_per_hour: exporterMsPerHour,
    };
    result.figures = [
      {
        name: `our DB time, share of one core (${tables} tables, pgbench running)`,
        value: 100 * result.ours.core_share,
        unit: '%',
        target: `<= ${100 * TARGET_SHARE} %`,
        pass: result.ours.core_share <= TARGET_SHARE,
        ratio: ourMsPerHour / loadMsPerHour,
      },
      {
        name: 'our DB time vs postgres_exporter scraped every 60 s',
        value: exporterMsPerHour === null ? null : ourMsPerHour / exporterMsPerHour,
        unit: 'x',
        target: '(information)',
        pass: null,
        ...(exporterMsPerHour === null ? { status: 'not run' } : {}),
      },
    ];
    return result;
  } finally {
    if (load && load.exitCode === null) load.kill('SIGTERM');
    await admin?.end().catch(() => undefined);
    await server.destroy();
  }
}

const pct = (ms) => `${((100 * ms) / HOUR_MS).toFixed(3)} %`;

export function print(r) {
  const o = r.ours;
  const p = r.pgbench;
  console.log(
    `\nThe monitored server's cost on PostgreSQL ${r.major}: ${r.tables} tables, pgbench -s ${p.scale} at ${p.rate} tps on ${p.clients} clients (${p.version}; ${p.tps.toFixed(0)} tps measured)`,
  );
  console.log('database time = total_exec_time + total_plan_time in pg_stat_statements, by role\n');
  console.log('                                   DB ms an hour   share of one core');
  const row = (name, ms) =>
    console.log(
      `${name.padEnd(34)} ${ms === null ? 'not run'.padStart(13) : ms.toFixed(0).padStart(13)}   ${ms === null ? '' : pct(ms)}`,
    );
  row('PG Governor, default intervals', o.db_ms_per_hour);
  row(`  hot + workload (${r.window_s} s window)`, o.per_hour_by_part.hot_and_workload);
  row('  storage (every 600 s)', o.per_hour_by_part.storage);
  row('  hourly (every 3600 s)', o.per_hour_by_part.hourly);
  row(`  database sizes (every ${SIZE_REFRESH_MS / 1000} s)`, o.per_hour_by_part.database_sizes);
  row(`  size ranking (every ${SIZE_RANKING_MS / 1000} s)`, o.per_hour_by_part.size_ranking);
  row('pgbench (the workload itself)', r.pgbench_db_ms_per_hour);
  row('postgres_exporter, every 60 s', r.exporter_db_ms_per_hour);
  console.log(
    `\nours: ${(100 * o.core_share).toFixed(3)} % of one core (target <= ${100 * TARGET_SHARE} %), ${(o.db_ms_per_hour / r.pgbench_db_ms_per_hour).toFixed(4)}x pgbench's database time${r.exporter_db_ms_per_hour === null ? '' : `, ${(o.db_ms_per_hour / r.exporter_db_ms_per_hour).toFixed(3)}x the exporter's`}`,
  );
  console.log(
    `per cycle: storage ${o.per_cycle_db_ms.storage.toFixed(1)} ms, hourly ${o.per_cycle_db_ms.hourly.toFixed(1)} ms, database sizes ${o.per_cycle_db_ms.sizes.toFixed(1)} ms, size ranking ${o.per_cycle_db_ms.ranking.toFixed(1)} ms; window: ${o.window_db_ms.toFixed(1)} ms in ${o.window_calls} statements`,
  );
  console.log(`connections held during the window: median ${o.connections.median}, max ${o.connections.max}`);
  const { figures: _figures, ...json } = r;
  console.log(JSON.stringify({ bench: 'monitored-cost', ...json }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const tables = Number(process.env.BENCH_TABLES ?? 10_000);
  const major = Number(process.env.BENCH_MAJOR ?? 16);
  run({ tables, major }).then(print, (error) => {
    console.error(error);
    process.exit(1);
  });
}
