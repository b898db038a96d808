/* global process, console, performance */
// Governor reaction benchmark: how long a connection storm lasts under the governor.
//
//   npx tsc -b backend && node bench/governor-reaction.bench.mjs [runs] [major]
//   (or BENCH_RUNS=20 BENCH_MAJOR=18 node bench/governor-reaction.bench.mjs)
//
// Starts its own PostgreSQL (default 18, max_connections 40: 37 usable) and the real backend
// (backend/dist/main.js, embedded store in a temporary folder) governing it in enforce mode with
// every other setting at its default (hot loop every 5 s, 1 s while usage >= warn; thresholds
// 0.70 / 0.85 / 0.95; at most 5 actions a cycle, 30 a minute). Each run starts from calm (the
// governor has seen usage back to normal, then a random pause of up to one hot interval, so that
// the storm lands anywhere in the loop's cycle), opens idle sessions until usage crosses 0.95,
// and measures, by polling pg_stat_activity from the bench's own connection every 25 ms (not
// through the backend), the time from usage >= 0.95 to usage < 0.85. Runs start at least 12 s
// apart so that 5 terminations a run stay under the 30-a-minute limit. Then the same again with
// the storm built through warn: usage first climbs to 0.75 and the storm completes once the
// governor has seen it (from then its hot loop runs every urgent_interval_ms, 1 s). Target: <= 5 s
// (the seed's loop ran every 30 s); the ratio is against 30 s. From calm the reaction is bounded
// by the hot loop's interval (5 s), whose phase the storm cannot know.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { sleep, startBackend, waitFor } from './support/backend-process.mjs';
import { DEFAULTS } from './support/loops.mjs';
import { median, percentile } from './support/measure.mjs';
import { createLoginRole, createMonitorRole } from './support/roles.mjs';
import { startBenchServer } from './support/server.mjs';
import { closeSessions, openSessions } from './support/sessions.mjs';

const MAX_CONNECTIONS = 40;
const USABLE = MAX_CONNECTIONS - 3; // superuser_reserved_connections 3, reserved_connections 0
const CRITICAL = 0.95;
const OPTIMIZE = 0.85;
const HOT_INTERVAL_MS = DEFAULTS.loops.hot.interval_s * 1000;
const MIN_RUN_SPACING_MS = 12_000;
const POLL_MS = 25;
const TARGET_MS = 5_000;
const SEED_LOOP_MS = 30_000;

const log = (message) => console.error(`[governor-reaction.bench] ${message}`);

/** Client backends other than the bench's own polling connection. */
async function clientBackends(admin) {
  const { rows } = await admin.query(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
  );
  return rows[0].n;
}

const levelOf = (exposition) => {
  const match = /^pgg_governor_level\{target="main"\} (\d+)$/m.exec(exposition);
  return match ? Number(match[1]) : undefined;
};

async function setUp(server) {
  const admin = new pg.Client({ connectionString: server.url(), application_name: 'bench-observer' });
  await admin.connect();
  const monitorPassword = await createMonitorRole(admin, 'pgg_monitor');
  // The governor role as sql/roles/governor-role.sql makes it: pg_signal_backend and pg_read_all_stats.
  const governorPassword = await createLoginRole(admin, 'pgg_governor', 'pg_signal_backend');
  await admin.query('GRANT pg_read_all_stats TO pgg_governor');
  const appPassword = await createLoginRole(admin, 'bench_app');
  return {
    admin,
    monitorUrl: server.url('postgres', 'pgg_monitor', monitorPassword),
    governorUrl: server.url('postgres', 'pgg_governor', governorPassword),
    appUrl: server.url('postgres', 'bench_app', appPassword),
  };
}

/**
 * One storm, idle sessions until >= 0.95; returns ms from >= 0.95 to < 0.85. Ramped: usage first
 * climbs to 0.75 (warn) and the storm completes once the governor has seen it (loop at 1 s).
 */
async function storm(admin, appUrl, backend, ramped) {
  const open = (n) => openSessions(appUrl, n, { concurrency: 8, applicationName: 'bench-storm' });
  const clients = [];
  if (ramped) {
    clients.push(...(await open(Math.ceil(0.75 * USABLE) - (await clientBackends(admin)))));
    await waitFor(
      async () => ((levelOf(await backend.metrics()) ?? 0) >= 1 ? true : undefined),
      30_000,
      'warn',
    );
  }
  const used = await clientBackends(admin);
  const toOpen = Math.ceil(CRITICAL * USABLE) - used;
  clients.push(...(await open(toOpen)));
  let crossedAt;
  let peak = 0;
  try {
    for (;;) {
      const n = await clientBackends(admin);
      const now = performance.now();
      peak = Math.max(peak, n);
      if (crossedAt === undefined && n / USABLE >= CRITICAL) crossedAt = now;
      if (crossedAt !== undefined && n / USABLE < OPTIMIZE)
        return { ms: now - crossedAt, opened: clients.length, peak };
      if (crossedAt !== undefined && now - crossedAt > 120_000)
        throw new Error('usage did not fall below 0.85 within 120 s');
      await sleep(POLL_MS);
    }
  } finally {
    await closeSessions(clients);
  }
}

/** A summary figure: a reaction time against the 5 s target and the seed's 30 s loop. */
const reactionFigure = (name, ms) => ({
  name,
  value: ms / 1000,
  unit: 's',
  target: '<= 5 s',
  pass: ms <= TARGET_MS,
  ratio: ms / SEED_LOOP_MS,
});

export async function run({ runs = 20, major = 18 } = {}) {
  const server = await startBenchServer({ major, settings: { max_connections: MAX_CONNECTIONS } });
  const dir = mkdtempSync(path.join(tmpdir(), 'pgg-bench-governor-'));
  // Traversable: as root, the backend runs its embedded store as `nobody` in a folder below it.
  chmodSync(dir, 0o755);
  let backend;
  let admin;
  try {
    const roles = await setUp(server);
    admin = roles.admin;
    const configFile = path.join(dir, 'config.yaml');
    writeFileSync(
      configFile,
      JSON.stringify({
        targets: [
          {
            name: 'main',
            dsn: roles.monitorUrl,
            governor_dsn: roles.governorUrl,
            governor: { mode: 'enforce' },
          },
        ],
      }),
      { mode: 0o600 },
    );
    backend = await startBackend({ PGG_CONFIG: configFile, PGG_DATA_DIR: path.join(dir, 'data') });
    await waitFor(async () => ((await backend.ready()) ? true : undefined), 60_000, 'the backend ready');
    await waitFor(
      async () => (levelOf(await backend.metrics()) === 0 ? true : undefined),
      60_000,
      'a first decision',
    );
    log(
      `backend ready at ${backend.url}; ${runs} runs, max_connections ${MAX_CONNECTIONS} (${USABLE} usable)`,
    );

    const measure = async (ramped) => {
      const reactions = [];
      let lastStart = 0;
      for (let i = 0; i < runs; i++) {
        // Calm: the governor has seen normal usage (its hot loop is back at its 5 s interval).
        await waitFor(
          async () => (levelOf(await backend.metrics()) === 0 ? true : undefined),
          60_000,
          'the governor to see normal usage',
        );
        await sleep(
          Math.max(0, lastStart + MIN_RUN_SPACING_MS - Date.now()) + Math.random() * HOT_INTERVAL_MS,
        );
        lastStart = Date.now();
        const r = await storm(admin, roles.appUrl, backend, ramped);
        reactions.push(r.ms);
        log(
          `${ramped ? 'ramped' : 'from calm'} run ${i + 1}: ${(r.ms / 1000).toFixed(2)} s (opened ${r.opened}, peak ${r.peak}/${USABLE})`,
        );
      }
      return reactions;
    };
    const reactions = await measure(false);
    const rampedReactions = await measure(true);
    const actions =
      /^pgg_governor_actions_total\{target="main",action="terminate",result="signalled"\} (\d+)$/m.exec(
        await backend.metrics(),
      );
    const summary = {
      runs,
      major,
      max_connections: MAX_CONNECTIONS,
      min_ms: Math.min(...reactions),
      p50_ms: median(reactions),
      p90_ms: percentile(reactions, 90),
      max_ms: Math.max(...reactions),
      terminations: actions ? Number(actions[1]) : null,
      reactions_ms: reactions.map((ms) => Math.round(ms)),
      ramped: {
        min_ms: Math.min(...rampedReactions),
        p50_ms: median(rampedReactions),
        p90_ms: percentile(rampedReactions, 90),
        max_ms: Math.max(...rampedReactions),
        reactions_ms: rampedReactions.map((ms) => Math.round(ms)),
      },
    };
    return {
      ...summary,
      figures: [
        reactionFigure('reaction p50 (>= 0.95 to < 0.85)', summary.p50_ms),
        reactionFigure('reaction p90', summary.p90_ms),
        reactionFigure('reaction p90, storm built through warn', summary.ramped.p90_ms),
        reactionFigure('reaction max', summary.max_ms),
      ],
    };
  } finally {
    await backend?.stop();
    await admin?.end().catch(() => undefined);
    await server.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function print(r) {
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`.padStart(8);
  const ratio = (ms) => `${(ms / SEED_LOOP_MS).toFixed(2)}x`.padStart(6);
  console.log(
    `\ngovernor reaction on PostgreSQL ${r.major}, enforce at default settings, ${r.runs} runs: from usage >= 0.95 (idle sessions opened by the bench) to < 0.85, seen from pg_stat_activity\n`,
  );
  const table = (title, x) => {
    console.log(`${title}\n          time   vs seed 30 s loop   target`);
    for (const [name, ms] of [
      ['min', x.min_ms],
      ['p50', x.p50_ms],
      ['p90', x.p90_ms],
      ['max', x.max_ms],
    ])
      console.log(
        `${name.padEnd(5)} ${s(ms)}   ${ratio(ms)}              <= 5 s (${ms <= TARGET_MS ? 'within' : 'OVER'})`,
      );
  };
  table('storm from calm (lands anywhere in the 5 s hot loop):', r);
  table('\nstorm built through warn (0.75 first: the governor runs the hot loop every 1 s):', r.ramped);
  const { figures: _figures, ...json } = r;
  console.log(JSON.stringify({ bench: 'governor-reaction', ...json }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 20);
  const major = Number(process.argv[3] ?? process.env.BENCH_MAJOR ?? 18);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer, got ${runs}`);
  run({ runs, major }).then(print, (error) => {
    console.error(error);
    process.exit(1);
  });
}
