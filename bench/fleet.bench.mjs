/* global process, console, fetch, URL */
// One replica watching a fleet (issue 16): what 200 targets cost the backend process at the
// default intervals, against the same process watching one target, measured in the same run.
//
//   npm run build && node bench/fleet.bench.mjs
//   (BENCH_FLEET_TARGETS, default 200; BENCH_FLEET_SECONDS, default 120; BENCH_FLEET_PER_SERVER,
//   default 10; BENCH_MAJOR, default 18)
//
// The fleet: ceil(targets / 10) embedded PostgreSQL servers with 10 databases each, every database
// a target of its own (own name, DSNs, governor session and fence lock, loops), with
// pg_stat_statements (in every database), the monitor role (pg_monitor) and the governor role
// (pg_signal_backend, pg_read_all_stats), autovacuum off; the targets listed in a targets_dir (one
// YAML file per server); the history store on another embedded server, as a fleet's shared external
// store. The real backend (node backend/dist/main.js with npm start's flags) runs at the default
// configuration (hot 5 s, workload 60 s, storage 600 s, hourly 3600 s, heartbeat 2 s, flush 2 s),
// governor in dry-run. Each target sees its whole server in the cluster-wide views
// (pg_stat_activity, pg_stat_database, pg_stat_statements): 11 databases, about 25 sessions and the
// statements of 10 databases' monitoring, so each looks like a cluster with 11 databases (about
// 1,400 series in the store after the run, most of them statements'). With 50 databases a server
// (BENCH_FLEET_PER_SERVER=50) each target carries about 3,500 series: what is measured depends on
// that as much as on the number of targets.
// Measured twice, one target first (the baseline), then every target, each on a fresh store
// database; once every collector has succeeded on every target, over the window
// (BENCH_FLEET_SECONDS, a multiple of the workload loop's 60 s):
//  - hot cycles on time: pgg_loop_skipped_cycles_total's increase (target 0); hot cycles started
//    against the interval's count; gaps between a target's hot samples in the store over 1.5
//    intervals; the hot collectors' duration p99 (from their histograms);
//  - CPU of the backend process (utime + stime of /proc/<pid>/stat) as a share of one core;
//  - RSS (VmRSS, every second): peak and median. Target <= 300 MB;
//  - the store keeping up: pgg_store_buffered_samples scraped every 15 s (as Prometheus would) stays
//    flat (its last quarter no higher than its first plus what a flush interval brings), nothing
//    dropped, the flush's p99 against the flush interval, and samples stored a second;
//  - then, with the loops still running: GET /api/v1/overview and the Fleet overview dashboard's
//    "Connection usage" panel (pg_connection_usage_ratio of every target, $target = All, the
//    dashboard's 3 h range, maxDataPoints 1,000, and the intervalMs Grafana computes from those and
//    the panel's Min interval in dashboards/fleet-overview.json) through POST /api/v1/query with the
//    read token, 100 each after 3 warm-ups, over 3 h of history (backfilled server-side before the
//    first real sample, at 5 s, recorded as a late span that the backend's rollup job redoes, as it
//    does a writer's backlog; timed once that is done). Targets: p99 <= 100 ms.
// Per target: (every target - one target) / (targets - 1), for CPU and RSS.
// Exports run() and print() for bench/run.mjs; runs both when invoked directly.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiClient } from './support/api-client.mjs';
import { median, percentile, elapsed } from './support/measure.mjs';
import { dist } from './support/server.mjs';
import { allCollectorsOf, collectorsOf, serverAt } from './support/loops.mjs';
import {
  backendNodeFlags,
  cpuSeconds,
  rssBytes,
  sleep,
  startBackend,
  waitFor,
} from './support/backend-process.mjs';
import { bucketsOf, parseExposition, quantileBetween, sumOf } from './support/exposition.mjs';
import {
  createStoreDatabase,
  DATABASES_PER_SERVER,
  FleetFolder,
  hotSampleTimes,
  READ_TOKEN,
  startFleet,
  storeReader,
} from './support/fleet.mjs';

const { ensurePartitions, utcDay } = await import(dist('store/partitions.js'));
const { StoreReader } = await import(dist('store/reader.js'));
const { ClosedBucketCache } = await import(dist('store/closed-buckets.js'));
const { stepMs } = await import(dist('api/step.js'));
const { grafanaIntervalMs } = await import(dist('generate/dashboards/grafana-interval.js'));

const GOALS = { rssMb: 300, p99Ms: 100, skipped: 0 };
const HOT_INTERVAL_MS = 5000;
const SCRAPE_MS = 15_000;
const API_RUNS = 100;
const API_WARMUP = 3;
const PANEL_RAW_RUNS = 20;
const PANEL_RANGE_MS = 3 * 3_600_000; // the Fleet overview dashboard's default: now-3h
const PANEL_MAX_DATA_POINTS = 1000;
const ROLLUP_WAIT_MS = 600_000;

/** The Fleet overview's "Connection usage" time series panel, as generated. */
function fleetPanel() {
  const file = new URL('../dashboards/fleet-overview.json', import.meta.url);
  const dashboard = JSON.parse(readFileSync(file, 'utf8'));
  const panel = dashboard.panels.find((p) => p.type === 'timeseries' && p.title === 'Connection usage');
  if (!panel) throw new Error('dashboards/fleet-overview.json has no "Connection usage" time series panel');
  const [query] = panel.targets;
  return {
    query,
    metric: query.metric,
    // What Grafana sends: 3 h / 1,000 points rounded (10 s), never below the panel's Min interval.
    intervalMs: grafanaIntervalMs(PANEL_RANGE_MS, PANEL_MAX_DATA_POINTS, panel.interval),
    minInterval: panel.interval ?? 'none',
  };
}
const PANEL = fleetPanel();
const PANEL_METRIC = PANEL.metric;
const MB = 1024 * 1024;

const log = (message) => console.error(`[fleet.bench] ${message}`);

/** The collectors expected to succeed on every target (every loop's; PgBouncer's left out). */
async function expectedCollectors(dsn) {
  const info = await serverAt(dsn);
  return {
    all: allCollectorsOf(info).map((c) => c.name),
    hot: collectorsOf('hot', info).map((c) => c.name),
  };
}

/**
 * Targets on which every expected collector has succeeded at least once (it has a last success
 * time: a collector that fails a cycle now and then, e.g. its budget spent, still counts), and
 * the (target, collector) pairs still waiting, from one /metrics scrape.
 */
function targetsDone(samples, expected, targets) {
  const ran = new Set(
    samples
      .filter((s) => s.name === 'pgg_collector_last_success_timestamp_seconds')
      .map((s) => `${s.labels.target} ${s.labels.collector}`),
  );
  const waiting = targets.flatMap((t) =>
    expected.flatMap((c) => (ran.has(`${t} ${c}`) ? [] : [`${t} ${c}`])),
  );
  const done = targets.filter((t) => expected.every((c) => ran.has(`${t} ${c}`))).length;
  return { done, waiting };
}

/** /metrics, or undefined when the backend sheds the request (503: overloaded, or memory). */
async function metricsText(backend) {
  const response = await fetch(`${backend.url}/metrics`);
  const text = await response.text();
  return response.status === 200 ? text : undefined;
}

/** The samples of one /metrics scrape, retried while the backend sheds load. */
const scrape = async (backend, names) =>
  parseExposition(await waitFor(() => metricsText(backend), 60_000, 'a /metrics answer', 500), names);

const WINDOW_METRICS = [
  'pgg_loop_skipped_cycles_total',
  'pgg_loop_cycles_total',
  'pgg_collector_duration_seconds_bucket',
  'pgg_store_buffered_samples',
  'pgg_store_dropped_samples_total',
  'pgg_store_write_errors_total',
  'pgg_store_flush_duration_seconds_bucket',
  'pgg_exporter_series_dropped_total',
  'nodejs_heap_size_used_bytes',
];

/** The window: CPU, RSS every second, /metrics every 15 s; the counters' increase over it. */
async function measureWindow(backend, seconds, hot) {
  const pid = backend.child.pid;
  const before = await scrape(backend, WINDOW_METRICS);
  const outputBefore = backend.output().length;
  const cpuBefore = cpuSeconds(pid);
  const start = process.hrtime.bigint();
  const startedAt = Date.now();
  const rss = [];
  const buffered = [sumOf(before, 'pgg_store_buffered_samples')];
  const scrapes = [];
  let shed = 0;
  let nextScrape = SCRAPE_MS;
  while (elapsed(start) < seconds * 1000) {
    backend.running();
    rss.push(rssBytes(pid));
    if (elapsed(start) >= nextScrape) {
      // Every 15 s, as the shipped prometheus/prometheus.yml scrapes: part of what is measured.
      nextScrape += SCRAPE_MS;
      const scrapeStart = process.hrtime.bigint();
      const text = await metricsText(backend);
      if (text === undefined) shed += 1;
      else {
        const samples = parseExposition(text, [
          'pgg_store_buffered_samples',
          'nodejs_eventloop_lag_max_seconds',
        ]);
        // The longest event-loop delay since the previous scrape (prom-client resets it each scrape):
        // what a scrape, or anything else, held the loop at most.
        const lagMs = sumOf(samples, 'nodejs_eventloop_lag_max_seconds') * 1000;
        scrapes.push({ ms: elapsed(scrapeStart), bytes: text.length, lagMs });
        buffered.push(sumOf(samples, 'pgg_store_buffered_samples'));
      }
    }
    await sleep(1000 - (elapsed(start) % 1000));
  }
  const cpu = cpuSeconds(pid) - cpuBefore;
  const windowMs = elapsed(start);
  const endedAt = Date.now();
  const after = await scrape(backend, WINDOW_METRICS);
  buffered.push(sumOf(after, 'pgg_store_buffered_samples'));
  const increase = (name, where) => sumOf(after, name, where) - sumOf(before, name, where);
  const isHot = (labels) => hot.includes(labels.collector);
  const hotP99 = Object.fromEntries(
    hot.map((collector) => {
      const keep = (labels) => labels.collector === collector;
      const q = quantileBetween(
        bucketsOf(before, 'pgg_collector_duration_seconds', keep),
        bucketsOf(after, 'pgg_collector_duration_seconds', keep),
        0.99,
      );
      return [collector, q.value === null ? null : q.value * 1000];
    }),
  );
  const failures = backend.lines('"collector failed"', outputBefore);
  const hotFailures = failures.filter((line) => hot.some((c) => line.includes(`"collector":"${c}"`)));
  return {
    startedAt,
    endedAt,
    window_s: windowMs / 1000,
    cpu_share: cpu / (windowMs / 1000),
    rss_peak_mb: Math.max(...rss) / MB,
    rss_median_mb: median(rss) / MB,
    skipped: increase('pgg_loop_skipped_cycles_total'),
    skipped_hot: increase('pgg_loop_skipped_cycles_total', { loop: 'hot' }),
    hot_cycles: increase('pgg_loop_cycles_total', { loop: 'hot' }),
    hot_collector_p99_ms: hotP99,
    hot_any_p99_ms:
      (quantileBetween(
        bucketsOf(before, 'pgg_collector_duration_seconds', isHot),
        bucketsOf(after, 'pgg_collector_duration_seconds', isHot),
        0.99,
      ).value ?? NaN) * 1000,
    collector_failures: failures.length,
    hot_collector_failures: hotFailures.length,
    collector_failure_examples: [...new Set(failures.map((l) => /"err":"([^"]{0,120})/.exec(l)?.[1]))].slice(
      0,
      3,
    ),
    buffered_samples: buffered,
    dropped_samples: increase('pgg_store_dropped_samples_total'),
    // Per scrape, by reason: statements past metrics.statements_top_n, a family past its cap a target.
    exporter_series_dropped: Object.fromEntries(
      ['statements_top_n', 'target_cap', 'duplicate'].map((reason) => [
        reason,
        increase('pgg_exporter_series_dropped_total', { reason }) / Math.max(1, scrapes.length + 1),
      ]),
    ),
    heap_used_mb: sumOf(after, 'nodejs_heap_size_used_bytes') / MB,
    metrics_scrape_ms: median(scrapes.map((x) => x.ms)),
    // The first scrape's covers the warm-up: left out.
    event_loop_lag_max_ms: Math.max(0, ...scrapes.slice(1).map((x) => x.lagMs)),
    metrics_shed: shed,
    metrics_bytes: scrapes.at(-1)?.bytes ?? 0,
    write_errors: increase('pgg_store_write_errors_total'),
    flush_p99_ms:
      (quantileBetween(
        bucketsOf(before, 'pgg_store_flush_duration_seconds'),
        bucketsOf(after, 'pgg_store_flush_duration_seconds'),
        0.99,
      ).value ?? NaN) * 1000,
  };
}

/** What the store holds of the window: samples a second, and late hot cycles (gaps over 1.5 intervals). */
async function storeFigures(db, from, to, targets) {
  const { rows } = await db.query('SELECT count(*)::float8 AS n FROM samples WHERE ts >= $1 AND ts < $2', [
    new Date(from),
    new Date(to),
  ]);
  const times = await hotSampleTimes(db, from, to);
  let late = 0;
  let hotSamples = 0;
  for (const list of times.values()) {
    hotSamples += list.length;
    for (let i = 1; i < list.length; i++) if (list[i] - list[i - 1] > 1.5 * HOT_INTERVAL_MS) late += 1;
  }
  const series = await db.query('SELECT count(*)::float8 AS n FROM series');
  return {
    series_per_target: series.rows[0].n / targets,
    samples_per_s: rows[0].n / ((to - from) / 1000),
    hot_samples: hotSamples,
    hot_samples_expected: targets * ((to - from) / HOT_INTERVAL_MS),
    targets_with_hot_samples: times.size,
    late_hot_cycles: late,
  };
}

/**
 * Three hours of the panel's metric before each target's first real sample, at the hot interval,
 * server-side: what the dashboard's default range reads on a fleet that has been running.
 */
async function backfillPanelHistory(db, now) {
  const from = now - PANEL_RANGE_MS;
  const days = [...new Set([utcDay(from), utcDay(now)])];
  await ensurePartitions(db, 'samples', days);
  const { rowCount } = await db.query(
    `INSERT INTO samples (series_id, ts, value)
     SELECT s.id, t, 0.3 + 0.1 * sin(extract(epoch FROM t) / 600 + s.id)
       FROM series s
       JOIN LATERAL (SELECT min(ts) AS first FROM samples WHERE series_id = s.id) f ON true
       CROSS JOIN LATERAL generate_series($2::timestamptz, f.first - interval '5 s', interval '5 s') AS t
      WHERE s.metric = $1 AND f.first IS NOT NULL
     ON CONFLICT DO NOTHING`,
    [PANEL_METRIC, new Date(from)],
  );
  // Recorded as a late batch's span (what the writer does for a backlog): the rollup job redoes
  // those minutes, already rolled up without these samples.
  await db.query('INSERT INTO rollup_dirty (from_ts, to_ts) VALUES ($1, $2)', [
    new Date(from),
    new Date(now),
  ]);
  await db.query('ANALYZE samples');
  return rowCount;
}

/** Until the backend's rollup job has redone the backfilled span (ms waited), so panels read rollups. */
async function waitForRollups(db) {
  const start = Date.now();
  await waitFor(
    async () => {
      const { rows } = await db.query('SELECT count(*)::int AS n FROM rollup_dirty');
      return rows[0].n === 0 ? true : undefined;
    },
    ROLLUP_WAIT_MS,
    'the rollup job to redo the backfilled 3 h',
    2000,
  );
  return Date.now() - start;
}

/**
 * p50 / p99 of API_RUNS sequential calls after API_WARMUP, the last answer's size, and the calls
 * the backend shed (503: overloaded or short of memory), whose time counts as it was.
 */
async function timeCalls(call) {
  const attempt = async () => {
    try {
      return await call();
    } catch (error) {
      if (/HTTP 503/.test(error.message)) return undefined;
      throw error;
    }
  };
  for (let i = 0; i < API_WARMUP; i++) await attempt();
  const ms = [];
  let bytes = 0;
  let shed = 0;
  for (let i = 0; i < API_RUNS; i++) {
    const start = process.hrtime.bigint();
    const response = await attempt();
    ms.push(elapsed(start));
    if (response) bytes = response.raw.length;
    else shed += 1;
  }
  return { p50_ms: median(ms), p99_ms: percentile(ms, 99), max_ms: Math.max(...ms), bytes, shed };
}

/**
 * The Fleet overview's Connection usage panel, $target = All (every target, as scenes sends it):
 * its query as generated, with the interval Grafana computes for it.
 */
function panelRequest(targets, now) {
  const { datasource: _datasource, ...query } = PANEL.query;
  return {
    range: {
      from: new Date(now - PANEL_RANGE_MS).toISOString(),
      to: new Date(now).toISOString(),
      raw: { from: 'now-3h', to: 'now' },
    },
    intervalMs: PANEL.intervalMs,
    maxDataPoints: PANEL_MAX_DATA_POINTS,
    queries: [{ ...query, filters: { ...query.filters, target: targets } }],
  };
}

/**
 * The panel's read from the store alone (StoreReader.series, what the API runs for it, on a pool of
 * the bench's own): p50 / p99 of PANEL_RAW_RUNS after a warm-up. The API's figure less this is
 * the backend's own share (frames, JSON, gzip, its event loop). heldBuckets: with the backend's
 * cache of rolled-up buckets (store.read_cache_mb's default), filled by the warm-up, as the API
 * reads; without: every read a whole one (a cold cache, or a step it does not hold).
 */
async function timeStoreRead(db, names, { heldBuckets = false } = {}) {
  const reader = heldBuckets
    ? new StoreReader(db, { minuteRollups: true, closedBuckets: new ClosedBucketCache(8 * MB) })
    : new StoreReader(db);
  const read = () => {
    const to = Date.now();
    const range = { from: to - PANEL_RANGE_MS, to };
    return reader.series({
      metric: PANEL_METRIC,
      type: 'gauge',
      filters: { target: names },
      ...range,
      stepMs: stepMs(range, PANEL.intervalMs, PANEL_MAX_DATA_POINTS),
      aggregation: PANEL.query.aggregation,
    });
  };
  await read();
  const ms = [];
  let series = 0;
  for (let i = 0; i < PANEL_RAW_RUNS; i++) {
    const start = process.hrtime.bigint();
    series = (await read()).length;
    ms.push(elapsed(start));
  }
  return { p50_ms: median(ms), p99_ms: percentile(ms, 99), series };
}

/** One replica on `targets`, on a fresh store database: warm-up, window, API, store figures. */
async function measureReplica({ store, database, targets, seconds, expected, label }) {
  const folder = new FleetFolder();
  const db = storeReader(store, database);
  let backend;
  try {
    folder.writeTargets(targets);
    const url = await createStoreDatabase(store, database);
    const launched = Date.now();
    backend = await startBackend({ PGG_CONFIG: folder.config(url, label) }, { timeoutMs: 120_000 });
    const names = targets.map((t) => t.name);
    let waiting = [];
    await waitFor(
      async () => {
        backend.running();
        const samples = await scrape(backend, ['pgg_collector_last_success_timestamp_seconds']);
        const progress = targetsDone(samples, expected.all, names);
        waiting = progress.waiting;
        return progress.done === targets.length ? progress.done : undefined;
      },
      300_000,
      `every collector to succeed on ${targets.length} targets`,
      2000,
    ).catch((error) => {
      throw new Error(
        `${error.message}; still waiting: ${waiting.length} (e.g. ${waiting.slice(0, 5).join(', ')})`,
      );
    });
    const warmupS = (Date.now() - launched) / 1000;
    log(`${label}: every collector succeeded on ${targets.length} targets after ${warmupS.toFixed(0)} s`);
    const window = await measureWindow(backend, seconds, expected.hot);
    log(`${label}: window of ${seconds} s measured`);
    const stored = await storeFigures(db, window.startedAt, window.endedAt, targets.length);
    const backfilled = await backfillPanelHistory(db, Date.now());
    const rollupWaitMs = await waitForRollups(db);
    log(`${label}: the backfill rolled up after ${(rollupWaitMs / 1000).toFixed(0)} s`);
    const api = apiClient(backend.url, READ_TOKEN);
    try {
      const overview = await timeCalls(() => api.get('/api/v1/overview'));
      const panel = await timeCalls(() => api.post('/api/v1/query', panelRequest(names, Date.now())));
      const panelStoreRead = await timeStoreRead(db, names);
      const panelStoreReadHeld = await timeStoreRead(db, names, { heldBuckets: true });
      log(`${label}: API timed`);
      return {
        label,
        targets: targets.length,
        warmup_s: warmupS,
        ...window,
        store: stored,
        backfilled,
        rollup_wait_ms: rollupWaitMs,
        panel_interval_ms: PANEL.intervalMs,
        overview,
        panel,
        panel_store_read: panelStoreRead,
        panel_store_read_held: panelStoreReadHeld,
      };
    } finally {
      api.close();
    }
  } finally {
    await backend?.stop();
    await db.end();
    folder.remove();
  }
}

export async function run({
  fleetTargets = 200,
  fleetSeconds = 120,
  fleetPerServer = DATABASES_PER_SERVER,
  major = 18,
} = {}) {
  if (!(fleetSeconds >= 30)) throw new Error(`BENCH_FLEET_SECONDS must be >= 30, got ${fleetSeconds}`);
  const fleet = await startFleet({
    targets: fleetTargets,
    perServer: fleetPerServer,
    major,
    label: 'fleet.bench',
  });
  const { targets, store, servers, databases, load } = fleet;
  try {
    const expected = await expectedCollectors(targets[0].dsn);
    const one = await measureReplica({
      store,
      database: 'pgg_one',
      targets: targets.slice(0, 1),
      seconds: fleetSeconds,
      expected,
      label: '1 target',
    });
    const many = await measureReplica({
      store,
      database: 'pgg_fleet',
      targets,
      seconds: fleetSeconds,
      expected,
      label: `${targets.length} targets`,
    });
    return summarize({ one, many, major, servers, databases, load, cpus: availableParallelism() });
  } finally {
    await fleet.destroy();
  }
}

/** Whether the store's buffer stayed flat: its last quarter no higher than its first plus a flush's worth. */
function bufferFlat(r) {
  const values = r.buffered_samples;
  const quarter = Math.max(1, Math.floor(values.length / 4));
  const first = Math.max(...values.slice(0, quarter));
  const last = Math.max(...values.slice(-quarter));
  const perFlush = r.store.samples_per_s * 2; // store.flush_interval_ms: 2 s
  return { first, last, max: Math.max(...values), flat: last <= first + perFlush && r.dropped_samples === 0 };
}

function summarize({ one, many, major, servers, databases, load, cpus }) {
  const n = many.targets;
  const perTarget = (key) => (many[key] - one[key]) / (n - 1);
  const buffer = bufferFlat(many);
  return {
    major,
    servers,
    databases_per_server: databases,
    cpus,
    load_average_at_start: load,
    node_flags: backendNodeFlags(),
    one,
    many,
    per_target: {
      cpu_share: perTarget('cpu_share'),
      rss_mb: perTarget('rss_median_mb'),
    },
    buffer,
    figures: [
      {
        name: `hot cycles skipped, ${n} targets, ${many.window_s.toFixed(0)} s`,
        value: many.skipped,
        target: '0',
        pass: many.skipped === GOALS.skipped,
      },
      {
        name: `hot cycles late (store gaps > 7.5 s), ${n} targets`,
        value: many.store.late_hot_cycles,
        target: 'information',
      },
      {
        name: `backend CPU, share of one core, ${n} targets (1 target: ${(one.cpu_share * 100).toFixed(1)} %)`,
        value: many.cpu_share * 100,
        unit: '%',
        target: 'information',
        ratio: many.cpu_share / one.cpu_share,
      },
      {
        name: `backend CPU per target (of one core)`,
        value: perTarget('cpu_share') * 100,
        unit: '%',
        target: 'information',
      },
      {
        name: `backend RSS peak, ${n} targets (1 target: ${one.rss_peak_mb.toFixed(0)} MB)`,
        value: many.rss_peak_mb,
        unit: 'MB',
        target: `<= ${GOALS.rssMb} MB`,
        pass: many.rss_peak_mb <= GOALS.rssMb,
        ratio: many.rss_peak_mb / one.rss_peak_mb,
      },
      {
        name: 'backend RSS per target (median)',
        value: perTarget('rss_median_mb'),
        unit: 'MB',
        target: 'information',
      },
      {
        name: `store buffer, max of ${many.buffered_samples.length} scrapes (${many.store.samples_per_s.toFixed(0)} samples/s stored)`,
        value: buffer.max,
        unit: 'samples',
        target: 'flat, 0 dropped',
        pass: buffer.flat,
      },
      {
        name: `/api/v1/overview p99, ${n} targets (1 target: ${one.overview.p99_ms.toFixed(1)} ms; ${many.overview.shed} of ${API_RUNS} shed)`,
        value: many.overview.p99_ms,
        unit: 'ms',
        target: `<= ${GOALS.p99Ms} ms`,
        pass: many.overview.p99_ms <= GOALS.p99Ms && many.overview.shed === 0,
        ratio: many.overview.p99_ms / one.overview.p99_ms,
      },
      {
        name: `Fleet overview panel p99, ${n} targets x 3 h (1 target: ${one.panel.p99_ms.toFixed(1)} ms; store read alone ${many.panel_store_read.p99_ms.toFixed(0)} ms, with held buckets ${many.panel_store_read_held.p99_ms.toFixed(0)} ms; ${many.panel.shed} of ${API_RUNS} shed)`,
        value: many.panel.p99_ms,
        unit: 'ms',
        target: `<= ${GOALS.p99Ms} ms`,
        pass: many.panel.p99_ms <= GOALS.p99Ms && many.panel.shed === 0,
        ratio: many.panel.p99_ms / one.panel.p99_ms,
      },
    ],
  };
}

export function print(r) {
  const { one, many } = r;
  console.log(
    `\nOne replica, PostgreSQL ${r.major}: ${r.servers} target servers x ${r.databases_per_server} databases; ${r.cpus} CPUs, load average ${r.load_average_at_start.toFixed(2)} at the start; node ${r.node_flags}\n`,
  );
  const rows = [
    ['targets', one.targets, many.targets],
    ['warm-up until every collector ran (s)', one.warmup_s.toFixed(0), many.warmup_s.toFixed(0)],
    ['window (s)', one.window_s.toFixed(0), many.window_s.toFixed(0)],
    ['hot cycles started', one.hot_cycles, many.hot_cycles],
    [
      'hot samples stored / expected',
      `${one.store.hot_samples} / ${one.store.hot_samples_expected.toFixed(0)}`,
      `${many.store.hot_samples} / ${many.store.hot_samples_expected.toFixed(0)}`,
    ],
    ['cycles skipped (hot)', `${one.skipped} (${one.skipped_hot})`, `${many.skipped} (${many.skipped_hot})`],
    ['late hot cycles (gap > 7.5 s)', one.store.late_hot_cycles, many.store.late_hot_cycles],
    ['hot collectors p99 (ms, bucket bound)', one.hot_any_p99_ms, many.hot_any_p99_ms],
    [
      'collector failures logged (hot loop)',
      `${one.collector_failures} (${one.hot_collector_failures})`,
      `${many.collector_failures} (${many.hot_collector_failures})`,
    ],
    [
      'series per target (stored so far)',
      one.store.series_per_target.toFixed(0),
      many.store.series_per_target.toFixed(0),
    ],
    [
      '/metrics: MB, scrape ms (median)',
      `${(one.metrics_bytes / MB).toFixed(1)}, ${one.metrics_scrape_ms.toFixed(0)}`,
      `${(many.metrics_bytes / MB).toFixed(1)}, ${many.metrics_scrape_ms.toFixed(0)}`,
    ],
    [
      'event loop: longest delay between two scrapes (ms)',
      one.event_loop_lag_max_ms.toFixed(0),
      many.event_loop_lag_max_ms.toFixed(0),
    ],
    [
      'exporter series left out a scrape (top_n, cap)',
      `${one.exporter_series_dropped.statements_top_n.toFixed(0)}, ${one.exporter_series_dropped.target_cap.toFixed(0)}`,
      `${many.exporter_series_dropped.statements_top_n.toFixed(0)}, ${many.exporter_series_dropped.target_cap.toFixed(0)}`,
    ],
    ['CPU, share of one core (%)', (one.cpu_share * 100).toFixed(1), (many.cpu_share * 100).toFixed(1)],
    ['RSS peak (MB)', one.rss_peak_mb.toFixed(1), many.rss_peak_mb.toFixed(1)],
    ['RSS median (MB)', one.rss_median_mb.toFixed(1), many.rss_median_mb.toFixed(1)],
    ['heap used at the end (MB)', one.heap_used_mb.toFixed(1), many.heap_used_mb.toFixed(1)],
    ['samples stored / s', one.store.samples_per_s.toFixed(0), many.store.samples_per_s.toFixed(0)],
    ['store buffer (samples, every 15 s)', one.buffered_samples.join(' '), many.buffered_samples.join(' ')],
    [
      'dropped samples, write errors',
      `${one.dropped_samples}, ${one.write_errors}`,
      `${many.dropped_samples}, ${many.write_errors}`,
    ],
    ['flush p99 (ms, bucket bound; interval 2000)', one.flush_p99_ms, many.flush_p99_ms],
    [
      '/api/v1/overview p50 / p99 (ms)',
      `${one.overview.p50_ms.toFixed(1)} / ${one.overview.p99_ms.toFixed(1)}`,
      `${many.overview.p50_ms.toFixed(1)} / ${many.overview.p99_ms.toFixed(1)}`,
    ],
    [
      'panel p50 / p99 (ms)',
      `${one.panel.p50_ms.toFixed(1)} / ${one.panel.p99_ms.toFixed(1)}`,
      `${many.panel.p50_ms.toFixed(1)} / ${many.panel.p99_ms.toFixed(1)}`,
    ],
    [
      `panel intervalMs (Min interval ${PANEL.minInterval}); backfill rolled up after (s)`,
      `${one.panel_interval_ms}; ${(one.rollup_wait_ms / 1000).toFixed(0)}`,
      `${many.panel_interval_ms}; ${(many.rollup_wait_ms / 1000).toFixed(0)}`,
    ],
    ['panel answer (bytes, gzip)', one.panel.bytes, many.panel.bytes],
    [
      'panel read from the store alone p50 / p99 (ms)',
      `${one.panel_store_read.p50_ms.toFixed(1)} / ${one.panel_store_read.p99_ms.toFixed(1)}`,
      `${many.panel_store_read.p50_ms.toFixed(1)} / ${many.panel_store_read.p99_ms.toFixed(1)}`,
    ],
    [
      'the same with held buckets, as the API reads, p50 / p99 (ms)',
      `${one.panel_store_read_held.p50_ms.toFixed(1)} / ${one.panel_store_read_held.p99_ms.toFixed(1)}`,
      `${many.panel_store_read_held.p50_ms.toFixed(1)} / ${many.panel_store_read_held.p99_ms.toFixed(1)}`,
    ],
    [
      'API calls / scrapes shed (503)',
      `${one.overview.shed + one.panel.shed} / ${one.metrics_shed}`,
      `${many.overview.shed + many.panel.shed} / ${many.metrics_shed}`,
    ],
  ];
  const width = Math.max(...rows.map((row) => row[0].length));
  console.log(`${''.padEnd(width)}  ${'1 target'.padStart(12)}  ${`${many.targets} targets`.padStart(12)}`);
  for (const [name, a, b] of rows)
    console.log(`${name.padEnd(width)}  ${String(a).padStart(12)}  ${String(b).padStart(12)}`);
  console.log(
    `\nper target: CPU ${(r.per_target.cpu_share * 100).toFixed(3)} % of one core, RSS ${r.per_target.rss_mb.toFixed(2)} MB; hot collectors p99 (ms): ${JSON.stringify(many.hot_collector_p99_ms)}`,
  );
  if (many.collector_failures > 0)
    console.log(`collector failures, e.g.: ${many.collector_failure_examples.join(' | ')}`);
  const { figures: _figures, ...json } = r;
  console.log(JSON.stringify({ bench: 'fleet', ...json }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const env = process.env;
  run({
    fleetTargets: Number(env.BENCH_FLEET_TARGETS ?? 200),
    fleetSeconds: Number(env.BENCH_FLEET_SECONDS ?? 120),
    fleetPerServer: Number(env.BENCH_FLEET_PER_SERVER ?? DATABASES_PER_SERVER),
    major: Number(env.BENCH_MAJOR ?? 18),
  }).then(print, (error) => {
    console.error(error);
    process.exit(1);
  });
}
