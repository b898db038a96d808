/* global process, console, setTimeout */
// History store and query API benchmark (issue 4): reads of a store holding days x 500 series at
// 15 s, through the real API over HTTP, against the raw SQL of the same reads; bytes per stored
// sample; the writer's sustained ingest rate against a plain COPY of the same rows.
//
//   npm run build && node bench/store.bench.mjs [days]       (or BENCH_STORE_DAYS=30 node ...)
//
// Starts its own PostgreSQL 18 (embedded binaries, throwaway data folder, durability off, the
// store's other settings at their defaults), opens the store as the backend does (openStore:
// migrations, partition upkeep, the background writer) and:
// 1. loads <days> (default 7; the size is 30: BENCH_STORE_DAYS=30) up to now of 500 series (50 catalog metrics x 10 label sets, one
//    target) at 15 s, server-side (INSERT ... SELECT generate_series, time-major as the writer
//    writes them, 6 h a statement, 2 connections), then VACUUM ANALYZE as autovacuum would;
//    Then the minute rollups of the whole set, as the store's job makes them (timed), and one
//    minute of them (what the job does every minute);
// 2. a 24 h panel (one gauge metric, 10 series, intervalMs 1m; maxDataPoints 1,000 and 1,440) through POST
//    /api/v1/query of the real fastify server (buildServer, bearer token, gzip) over HTTP, p50/p99
//    of 100 runs, against the reader's own SQL with the same parameters (recorded from the API's
//    reads) run directly with pg, alternating which goes first. Targets: p99 <= 50 ms, API
//    p50 <= 1.3x raw p50. Also the same read from the samples alone (series-gauge.sql: what a step
//    under a minute reads, and what every read did before the rollups), and the raw statement on
//    the API's pool (sessions that also ran the catch-up);
// 3. a dashboard load: 20 panels (the first 20 metrics: gauges and counters served as rates), 20
//    concurrent HTTP requests, wall time of the slowest, median of 10; baseline: the 20 statements
//    on as many connections as the API's reader has (store.pool_max). Target <= 300 ms;
// 4. bytes per stored sample: pg_total_relation_size of the samples and samples_1m partitions /
//    rows loaded;
// 5. ingest: the store's writer (write() of 1,000 observations of the 500 series, then flush();
//    default batch_max_rows) against COPY of the same rows (the text made as it is sent) into the
//    same table, each into an empty day of its own; 3 rounds alternating which goes first, median.
// Exports run() for bench/run.mjs; runs main() when invoked directly.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import pino from 'pino';
import { Registry } from 'prom-client';
import { apiClient, decode } from './support/api-client.mjs';
import { copyIn } from './support/copy-in.mjs';
import { elapsed, median, percentile, timed } from './support/measure.mjs';
import { dist, startBenchServer } from './support/server.mjs';
import { ALL_COLLECTORS, loadConfig, sqlFile } from './support/dist.mjs';
import { createSeries, loadSamples, seriesLayout, STEP_S, TARGET } from './support/store-data.mjs';

const { openStore } = await import(dist('store/index.js'));
const { StoreReader } = await import(dist('store/reader.js'));
const { MinuteRollup } = await import(dist('store/rollup.js'));
const { createStorePool } = await import(dist('store/store-pool.js'));
const { buildServer } = await import(dist('api/server.js'));
const { LatestObservations } = await import(dist('collectors/latest-observations.js'));
const { DAY_MS, ensurePartitions, utcDay } = await import(dist('store/partitions.js'));
const { stepMs } = await import(dist('api/step.js'));

/** ~2.5 min on 2 shared cores; the 30 days is ~86 M rows (~15 GB with the rollups, ~22 min). */
const DEFAULT_DAYS = 7;
const PANEL_RUNS = 100;
const DASHBOARD_PANELS = 20;
const DASHBOARD_RUNS = 10;
const INGEST_ROUNDS = 3;
const INGEST_OBSERVATIONS = 1000;
const TOKEN = 'bench-read-token-0123456789';
const TARGETS = { panelP99Ms: 50, apiRatio: 1.3, dashboardMs: 300 };

const log = (message) => console.error(`[store.bench] ${message}`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * The 24 h panel's maxDataPoints: the 1,000 (Grafana's interval 1m; the API's step 2m, so
 * 720 points), and a wide panel's 1,440 (step 1m, 1,440 points).
 */
const PANEL_MAX_POINTS = [1000, 1440];

/** Buckets of a 24 h read at maxDataPoints (at the API's step). */
const expectedPoints = (maxDataPoints) => DAY_MS / stepMs({ from: 0, to: DAY_MS }, 60_000, maxDataPoints);

/** A Grafana-shaped panel request: 24 h to `to`, one time series query. */
function panelRequest(metric, to, maxDataPoints = PANEL_MAX_POINTS[0]) {
  const from = to - DAY_MS;
  return {
    range: {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      raw: { from: 'now-24h', to: 'now' },
    },
    intervalMs: 60_000, // what Grafana rounds 24 h / 1,000 (or 1,440) points to
    maxDataPoints,
    queries: [{ refId: 'A', kind: 'timeseries', metric, target: TARGET }],
  };
}

/** A Queryable over the pool that remembers the statements it ran, by metric ($1). */
function recording(pool) {
  const statements = new Map();
  return {
    statements,
    query(text, values) {
      if (values) statements.set(values[0], { text, values });
      return pool.query(text, values);
    },
  };
}

/** Totals of an EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) plan. */
function planSummary(plan) {
  const nodes = new Set();
  let heapFetches = 0;
  const walk = (node) => {
    nodes.add(node['Relation Name'] ? `${node['Node Type']} on ${node['Relation Name']}` : node['Node Type']);
    heapFetches += node['Heap Fetches'] ?? 0;
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan.Plan);
  return {
    planning_ms: plan['Planning Time'],
    execution_ms: plan['Execution Time'],
    shared_hit: plan.Plan['Shared Hit Blocks'],
    shared_read: plan.Plan['Shared Read Blocks'],
    heap_fetches: heapFetches,
    scans: [...nodes].filter((n) => /Scan/.test(n)),
  };
}

async function panelBench({
  client,
  plainClient,
  raw,
  readPool,
  statements,
  metric,
  to,
  series,
  maxDataPoints,
}) {
  const body = panelRequest(metric, to, maxDataPoints);
  const want = expectedPoints(maxDataPoints);
  // Warm-up, and a check that the answer is what a panel needs.
  const warm = await client.post('/api/v1/query', body);
  const first = JSON.parse(decode(warm));
  const frames = first.results.A.frames ?? [];
  const points = frames.map((f) => f.data.values[0].length);
  if (frames.length !== series || points.some((n) => n < want || n > want + 1))
    throw new Error(`panel: expected ${series} frames of ~${want} points, got ${JSON.stringify(points)}`);
  const statement = statements.get(metric);
  for (let i = 0; i < 4; i++) {
    await client.post('/api/v1/query', body);
    await raw.query(statement.text, statement.values);
  }
  const apiMs = [];
  const rawMs = [];
  for (let i = 0; i < PANEL_RUNS; i++) {
    const api = () => timed(() => client.post('/api/v1/query', body));
    const sql = () => timed(() => raw.query(statement.text, statement.values));
    if (i % 2 === 0) {
      apiMs.push((await api()).ms);
      rawMs.push((await sql()).ms);
    } else {
      rawMs.push((await sql()).ms);
      apiMs.push((await api()).ms);
    }
  }
  // Diagnostic: the same request without response compression.
  const plainMs = [];
  for (let i = 0; i < PANEL_RUNS / 2; i++)
    plainMs.push((await timed(() => plainClient.post('/api/v1/query', body))).ms);
  // Diagnostic: the reader's SQL on the API's own pool (its sessions, without HTTP and frames).
  const poolMs = [];
  for (let i = 0; i < PANEL_RUNS / 2; i++)
    poolMs.push((await timed(() => readPool.query(statement.text, statement.values))).ms);
  // Baseline: the same read from the samples alone (no rollups).
  const fromSamples = { text: sqlFile('store/queries/series-gauge.sql'), values: statement.values };
  if (!statement.text.includes('samples_1m')) throw new Error('panel: the read did not use the rollups');
  await raw.query(fromSamples.text, fromSamples.values);
  const samplesMs = [];
  for (let i = 0; i < PANEL_RUNS / 4; i++)
    samplesMs.push((await timed(() => raw.query(fromSamples.text, fromSamples.values))).ms);
  const explained = await raw.query(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.text}`,
    statement.values,
  );
  return {
    metric,
    max_data_points: maxDataPoints,
    series: frames.length,
    points: points[0],
    runs: PANEL_RUNS,
    api: { p50: percentile(apiMs, 50), p99: percentile(apiMs, 99), max: Math.max(...apiMs) },
    raw: { p50: percentile(rawMs, 50), p99: percentile(rawMs, 99), max: Math.max(...rawMs) },
    api_identity: { p50: percentile(plainMs, 50), p99: percentile(plainMs, 99), runs: plainMs.length },
    on_api_pool: { p50: percentile(poolMs, 50), p99: percentile(poolMs, 99), runs: poolMs.length },
    from_samples: { p50: percentile(samplesMs, 50), p99: percentile(samplesMs, 99), runs: samplesMs.length },
    response_bytes: { gzip: warm.raw.length, identity: JSON.stringify(first).length },
    plan: planSummary(explained.rows[0]['QUERY PLAN'][0]),
  };
}

async function dashboardBench({ client, rawPool, statements, metrics, to }) {
  const bodies = metrics.map((m) => panelRequest(m.name, to));
  const load = () => Promise.all(bodies.map((body) => client.post('/api/v1/query', body)));
  const rawLoad = () =>
    Promise.all(
      metrics.map((m) => {
        const s = statements.get(m.name);
        return rawPool.query(s.text, s.values);
      }),
    );
  await load();
  await rawLoad();
  const apiMs = [];
  const rawMs = [];
  for (let i = 0; i < DASHBOARD_RUNS; i++) {
    if (i % 2 === 0) {
      apiMs.push((await timed(load)).ms);
      rawMs.push((await timed(rawLoad)).ms);
    } else {
      rawMs.push((await timed(rawLoad)).ms);
      apiMs.push((await timed(load)).ms);
    }
  }
  return {
    panels: metrics.length,
    gauges: metrics.filter((m) => m.type === 'gauge').length,
    counters: metrics.filter((m) => m.type === 'counter').length,
    runs: DASHBOARD_RUNS,
    api_ms: median(apiMs),
    api_max_ms: Math.max(...apiMs),
    raw_ms: median(rawMs),
  };
}

/**
 * The minute rollups of everything loaded (loaded server-side, so not in them yet): from scratch,
 * as the store's job does after a first start on an existing store; then one minute again, the
 * job's work every minute.
 */
async function rollupBench(pool, db, rows, end) {
  await db.query('UPDATE rollup_state SET done_until = NULL');
  const job = new MinuteRollup(pool, pino({ level: 'silent' }));
  const start = process.hrtime.bigint();
  let minutes = 0;
  for (;;) {
    const run = await job.runOnce();
    if (run === undefined) throw new Error('the rollup job failed');
    minutes += run.rolledMinutes;
    if (!run.skipped) break; // the store's own job was under way: wait for it
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const catchUpMs = elapsed(start);
  // The last whole minute of the data set (loaded up to `end`).
  const lastMinute = Math.floor(end / 60_000) * 60_000 - 60_000;
  const minute = [new Date(lastMinute).toISOString(), new Date(lastMinute + 60_000).toISOString()];
  const oneMinute = [];
  for (let i = 0; i < 5; i++)
    oneMinute.push((await timed(() => db.query(sqlFile('store/queries/rollup-minutes.sql'), minute))).ms);
  return {
    minutes,
    catch_up_ms: catchUpMs,
    samples_per_s: rows / (catchUpMs / 1000),
    one_minute_ms: median(oneMinute),
  };
}

async function storageFigures(db, rows) {
  const size = async (table) =>
    (
      await db.query(
        `SELECT sum(pg_total_relation_size(c.oid))::float8 AS total,
            sum(pg_relation_size(c.oid))::float8 AS heap,
            sum(pg_indexes_size(c.oid))::float8 AS indexes,
            count(*)::int AS partitions
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = $1::regclass`,
        [table],
      )
    ).rows[0];
  const [samples, rollups] = [await size('samples'), await size('samples_1m')];
  return {
    rows,
    partitions: samples.partitions,
    total_bytes: samples.total + rollups.total,
    bytes_per_sample: (samples.total + rollups.total) / rows,
    heap_bytes_per_sample: samples.heap / rows,
    index_bytes_per_sample: samples.indexes / rows,
    rollup_bytes_per_sample: rollups.total / rows,
  };
}

/** COPY text of the observations' samples: series id, time, value. */
function* copyText(observations, ids) {
  for (const o of observations) {
    const ts = new Date(o.time).toISOString();
    let chunk = '';
    for (let i = 0; i < o.samples.length; i++) chunk += `${ids[i]}\t${ts}\t${o.samples[i].value}\n`;
    yield chunk;
  }
}

/** Observations of every series, one every 15 s from dayStart, values random. */
function observations(series, dayStart) {
  return Array.from({ length: INGEST_OBSERVATIONS }, (_, i) => ({
    target: TARGET,
    collector: 'bench',
    loop: 'hot',
    time: dayStart + i * STEP_S * 1000,
    samples: series.map((s) => ({ metric: s.metric, labels: s.labels, value: Math.random() * 1000 })),
    snapshots: [],
  }));
}

async function countDay(db, dayStart) {
  const { rows } = await db.query('SELECT count(*)::int AS n FROM samples WHERE ts >= $1 AND ts < $2', [
    new Date(dayStart).toISOString(),
    new Date(dayStart + DAY_MS).toISOString(),
  ]);
  return rows[0].n;
}

/** The writer against COPY, each into an empty day of its own after `firstDay`. */
async function ingestBench({ store, copyClient, db, series, firstDay }) {
  const ids = series.map((s) => s.id);
  const expected = INGEST_OBSERVATIONS * series.length;
  const writerRates = [];
  const copyRates = [];
  const days = Array.from({ length: 2 * INGEST_ROUNDS }, (_, i) => utcDay(firstDay + i * DAY_MS));
  await ensurePartitions(db, 'samples', days); // COPY into the parent needs them; not timed
  for (let round = 0; round < INGEST_ROUNDS; round++) {
    const writerDay = firstDay + 2 * round * DAY_MS;
    const copyDay = writerDay + DAY_MS;
    const forWriter = observations(series, writerDay);
    const forCopy = observations(series, copyDay);
    const viaWriter = async () => {
      const start = process.hrtime.bigint();
      for (const o of forWriter) store.writer.write(o);
      await store.writer.flush();
      writerRates.push(expected / (elapsed(start) / 1000));
    };
    const viaCopy = async () => {
      const start = process.hrtime.bigint();
      await copyIn(copyClient, 'COPY samples (series_id, ts, value) FROM STDIN', () =>
        copyText(forCopy, ids),
      );
      copyRates.push(expected / (elapsed(start) / 1000));
    };
    if (round % 2 === 0) {
      await viaWriter();
      await viaCopy();
    } else {
      await viaCopy();
      await viaWriter();
    }
    const [written, copied] = [await countDay(db, writerDay), await countDay(db, copyDay)];
    if (written !== expected || copied !== expected)
      throw new Error(
        `ingest round ${round}: writer stored ${written}, COPY ${copied}, expected ${expected}`,
      );
  }
  const status = store.writer.status();
  if (status.droppedSamples !== 0) throw new Error(`the writer dropped ${status.droppedSamples} samples`);
  return {
    rows_per_round: expected,
    rounds: INGEST_ROUNDS,
    writer_rows_per_s: median(writerRates),
    copy_rows_per_s: median(copyRates),
    ratio: median(writerRates) / median(copyRates),
  };
}

export async function run({ storeDays = DEFAULT_DAYS } = {}) {
  const days = storeDays;
  if (!(days > 0)) throw new Error(`store days must be positive, got ${days}`);
  const server = await startBenchServer({ major: 18 });
  const quiet = pino({ level: 'silent' });
  const config = loadConfig({
    env: {
      PGG_STORE_URL: server.url(),
      // keep every loaded day (retention would drop the older partitions)
      PGG_STORE__RETENTION_DAYS__SAMPLES: String(Math.ceil(days) + 2),
    },
  }).config;
  let store;
  let readPool;
  let raw;
  let rawPool;
  let copyClient;
  let app;
  let client;
  let plainClient;
  try {
    store = await openStore(config, quiet, new Registry());
    readPool = createStorePool(server.url(), config.store.pool_max, quiet);
    raw = new pg.Client({ connectionString: server.url() });
    await raw.connect();
    const { metrics, series: layout } = seriesLayout();
    const series = await createSeries(raw, layout);

    // 1. the data set
    const end = Math.floor(Date.now() / (STEP_S * 1000)) * STEP_S * 1000;
    const from = end - days * DAY_MS;
    log(`loading ${days} days x ${series.length} series at ${STEP_S} s (PostgreSQL 18, 2 connections)...`);
    const loadStart = Date.now();
    const loadPool = new pg.Pool({ connectionString: server.url(), max: 2 });
    let rows;
    try {
      rows = await loadSamples(loadPool, series, { from, to: end + STEP_S * 1000, log });
    } finally {
      await loadPool.end();
    }
    const loadMs = Date.now() - loadStart;
    log(
      `${(rows / 1e6).toFixed(1)} M samples in ${seconds(loadMs)} (${Math.round(rows / (loadMs / 1000))} rows/s)`,
    );
    const rollups = await rollupBench(readPool, raw, rows, end);
    log(
      `minute rollups of the whole set in ${seconds(rollups.catch_up_ms)} (${Math.round(rollups.samples_per_s)} samples/s);` +
        ` one minute of ${series.length} series in ${rollups.one_minute_ms.toFixed(1)} ms`,
    );
    const vacuum = await timed(() => raw.query('VACUUM (ANALYZE) samples, samples_1m'));
    await raw.query('CHECKPOINT');
    log(`VACUUM ANALYZE in ${seconds(vacuum.ms)}`);
    const storage = await storageFigures(raw, rows);

    // 2, 3. reads through the API, a reader over a pool like the store's (pool_max connections)
    const reader = recording(readPool);
    app = await buildServer({
      log: quiet,
      registry: new Registry(),
      readiness: () => ({ ready: true, problems: [], targets: [] }),
      bodyLimitBytes: 1_048_576,
      reader: new StoreReader(reader),
      latest: new LatestObservations(),
      collectors: ALL_COLLECTORS,
      targets: () => [],
      auth: { readTokens: [TOKEN], adminTokens: [], protectMetrics: false },
      version: 'bench',
      retentionDays: config.store.retention_days.samples,
    });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    client = apiClient(base, TOKEN);
    plainClient = apiClient(base, TOKEN, { gzip: false });
    const dashboard = metrics.slice(0, DASHBOARD_PANELS);
    // Record every panel's statement once (the raw baselines run exactly these).
    for (const m of dashboard) await client.post('/api/v1/query', panelRequest(m.name, end));
    const panelMetric = metrics.find((m) => m.type === 'gauge');
    log(`24 h panel of ${panelMetric.name}: ${PANEL_RUNS} runs through the API and as raw SQL...`);
    const panels = [];
    for (const maxDataPoints of PANEL_MAX_POINTS)
      panels.push(
        await panelBench({
          client,
          plainClient,
          raw,
          readPool,
          statements: reader.statements,
          metric: panelMetric.name,
          to: end,
          series: layout.filter((s) => s.metric === panelMetric.name).length,
          maxDataPoints,
        }),
      );
    log(`dashboard of ${dashboard.length} panels, ${DASHBOARD_RUNS} loads...`);
    rawPool = new pg.Pool({ connectionString: server.url(), max: config.store.pool_max });
    const dashboardLoad = await dashboardBench({
      client,
      rawPool,
      statements: reader.statements,
      metrics: dashboard,
      to: end,
    });

    // 5. ingest, into empty days after the loaded ones (and after the partitions made ahead)
    log(
      `ingest: ${INGEST_ROUNDS} rounds of ${INGEST_OBSERVATIONS} observations x ${series.length} samples...`,
    );
    copyClient = new pg.Client({ connectionString: server.url() });
    await copyClient.connect();
    const ingest = await ingestBench({
      store,
      copyClient,
      db: raw,
      series,
      firstDay: Math.floor(end / DAY_MS) * DAY_MS + 5 * DAY_MS,
    });

    return {
      days,
      series: series.length,
      load: { rows, ms: loadMs, vacuum_ms: vacuum.ms },
      rollups,
      storage,
      panels,
      dashboard: dashboardLoad,
      ingest,
      settings: { pool_max: config.store.pool_max, batch_max_rows: config.store.batch_max_rows },
      figures: figures({ days, panels, dashboard: dashboardLoad, storage, ingest }),
    };
  } finally {
    client?.close();
    plainClient?.close();
    await app?.close().catch(() => undefined);
    await copyClient?.end().catch(() => undefined);
    await rawPool?.end().catch(() => undefined);
    await raw?.end().catch(() => undefined);
    await readPool?.end().catch(() => undefined);
    await store?.stop().catch(() => undefined);
    await server.destroy();
  }
}

function figures({ days, panels, dashboard, storage, ingest }) {
  const at = days === 30 ? '' : ` (${days} d stored; targets at 30 d)`;
  return [
    ...panels.flatMap((panel) => [
      {
        name: `24 h panel p99, maxDataPoints ${panel.max_data_points}: ${panel.series} series x ${panel.points} points${at}`,
        value: panel.api.p99,
        unit: 'ms',
        target: `<= ${TARGETS.panelP99Ms} ms`,
        pass: panel.api.p99 <= TARGETS.panelP99Ms,
        ratio: panel.api.p99 / panel.raw.p99,
      },
      {
        name: `API overhead (p50 API / p50 raw SQL), ${panel.points} points`,
        value: panel.api.p50 / panel.raw.p50,
        unit: 'x',
        target: `<= ${TARGETS.apiRatio}x`,
        pass: panel.api.p50 / panel.raw.p50 <= TARGETS.apiRatio,
      },
    ]),
    {
      name: `dashboard: ${dashboard.panels} concurrent panels`,
      value: dashboard.api_ms,
      unit: 'ms',
      target: `<= ${TARGETS.dashboardMs} ms`,
      pass: dashboard.api_ms <= TARGETS.dashboardMs,
      ratio: dashboard.api_ms / dashboard.raw_ms,
    },
    { name: 'bytes per stored sample', value: storage.bytes_per_sample, unit: 'B' },
    {
      name: 'writer ingest (ratio: vs COPY)',
      value: ingest.writer_rows_per_s,
      unit: 'rows/s',
      ratio: ingest.ratio,
    },
  ];
}

export function print(r) {
  const ms = (v) => `${v.toFixed(1)} ms`;
  const { panels, dashboard, storage, ingest, load } = r;
  console.log(
    `\nhistory store: ${r.days} days x ${r.series} series at ${STEP_S} s = ${(load.rows / 1e6).toFixed(1)} M samples,` +
      ` loaded in ${seconds(load.ms)} (${Math.round(load.rows / (load.ms / 1000))} rows/s), VACUUM ANALYZE ${seconds(load.vacuum_ms)}`,
  );
  console.log(
    `storage: ${(storage.total_bytes / 2 ** 30).toFixed(2)} GiB in ${storage.partitions} partitions,` +
      ` ${storage.bytes_per_sample.toFixed(1)} B/sample (samples: heap ${storage.heap_bytes_per_sample.toFixed(1)}, indexes ${storage.index_bytes_per_sample.toFixed(1)};` +
      ` minute rollups ${storage.rollup_bytes_per_sample.toFixed(1)})`,
  );
  console.log(
    `minute rollups: ${r.rollups.minutes} minutes from scratch in ${seconds(r.rollups.catch_up_ms)}` +
      ` (${Math.round(r.rollups.samples_per_s)} samples/s); one minute of ${r.series} series ${ms(r.rollups.one_minute_ms)}`,
  );
  for (const panel of panels) {
    console.log(
      `\n24 h panel (${panel.metric}, maxDataPoints ${panel.max_data_points}: ${panel.series} series x ${panel.points} points, ${panel.runs} runs):\n` +
        `  API over HTTP   p50 ${ms(panel.api.p50)}  p99 ${ms(panel.api.p99)}  max ${ms(panel.api.max)}\n` +
        `  raw SQL (pg)    p50 ${ms(panel.raw.p50)}  p99 ${ms(panel.raw.p99)}  max ${ms(panel.raw.max)}\n` +
        `  API / raw: p50 ${(panel.api.p50 / panel.raw.p50).toFixed(2)}x, p99 ${(panel.api.p99 / panel.raw.p99).toFixed(2)}x` +
        ` (targets: p99 <= ${TARGETS.panelP99Ms} ms, overhead <= ${TARGETS.apiRatio}x)`,
    );
    console.log(
      `  from the samples alone (series-gauge.sql, ${panel.from_samples.runs} runs): p50 ${ms(panel.from_samples.p50)}  p99 ${ms(panel.from_samples.p99)};` +
        ` rollups ${(panel.from_samples.p50 / panel.raw.p50).toFixed(1)}x faster at p50`,
    );
    console.log(
      `  API without compression (accept-encoding: identity, ${panel.api_identity.runs} runs): p50 ${ms(panel.api_identity.p50)}  p99 ${ms(panel.api_identity.p99)};` +
        ` response ${panel.response_bytes.identity} B, gzipped ${panel.response_bytes.gzip} B`,
    );
    console.log(
      `  the raw SQL on the API's pool (${panel.on_api_pool.runs} runs): p50 ${ms(panel.on_api_pool.p50)}  p99 ${ms(panel.on_api_pool.p99)}`,
    );
    const p = panel.plan;
    console.log(
      `  plan: planning ${ms(p.planning_ms)}, execution ${ms(p.execution_ms)}, shared buffers hit ${p.shared_hit} read ${p.shared_read},` +
        ` heap fetches ${p.heap_fetches}; ${p.scans.join(', ')}`,
    );
  }
  console.log(
    `\ndashboard (${dashboard.panels} panels: ${dashboard.gauges} gauges, ${dashboard.counters} counters as rates; 20 concurrent requests, median of ${dashboard.runs}):\n` +
      `  API ${ms(dashboard.api_ms)} (max ${ms(dashboard.api_max_ms)}), raw SQL on ${r.settings.pool_max} connections ${ms(dashboard.raw_ms)},` +
      ` ratio ${(dashboard.api_ms / dashboard.raw_ms).toFixed(2)}x (target <= ${TARGETS.dashboardMs} ms)`,
  );
  console.log(
    `\ningest (${ingest.rounds} rounds of ${ingest.rows_per_round} rows, median; writer batches of ${r.settings.batch_max_rows}):\n` +
      `  StoreWriter ${Math.round(ingest.writer_rows_per_s)} rows/s, COPY ${Math.round(ingest.copy_rows_per_s)} rows/s, ratio ${ingest.ratio.toFixed(2)}x`,
  );
  const { figures: _figures, ...rest } = r;
  console.log(JSON.stringify({ bench: 'store', ...rest }));
}

async function main() {
  const days = Number(process.argv[2] ?? process.env.BENCH_STORE_DAYS ?? DEFAULT_DAYS);
  print(await run({ storeDays: days }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
