/* global process, console */
// Backend memory benchmark: the resident set of the real backend process (node
// backend/dist/main.js) monitoring a database with 10,000 tables while every loop runs, against
// the RSS of a bare node process measured in the same run (the baseline: what node alone costs).
//
//   npm run build && node bench/rss.bench.mjs [tables] [seconds]
//   (or BENCH_TABLES=100000 BENCH_RSS_SECONDS=120 node bench/rss.bench.mjs)
//
// Starts its own PostgreSQL 18 with <tables> tables (default 10,000; each with an index and a few
// rows) and 1,000 pg_stat_statements entries, then the backend as a pg_monitor role with short
// loop intervals (hot 1 s, workload 5 s, storage 10 s, hourly 20 s: every loop runs several times),
// and samples its VmRSS (/proc/<pid>/status) every 500 ms for <seconds> (default 60) from the
// moment it listens. Peak: the highest sample. Steady: the median of the samples once every
// collector has succeeded at least once. Target: <= 120 MB.
// Exports run() and print() for bench/run.mjs; runs both when invoked directly.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './support/measure.mjs';
import { startBenchServer } from './support/server.mjs';
import { allCollectorsOf, serverAt } from './support/loops.mjs';
import { createMonitorRole } from './support/roles.mjs';
import { createTablesDatabase, MANY_TABLES_SETTINGS } from './support/tables.mjs';
import {
  rssBytes,
  shortIntervals,
  sleep,
  startBackend,
  succeededCollectors,
} from './support/backend-process.mjs';

const TARGET_MB = 120;
const SAMPLE_MS = 500;
const INTERVALS = { hot: 1, workload: 5, storage: 10, hourly: 20 };
const STATEMENTS = 1_000;
const MB = 1024 * 1024;

/** Where the memory is, from the backend's own process metrics at the end of the run (MB). */
function heapFigures(exposition) {
  const value = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(exposition)?.[1] ?? NaN) / MB;
  return {
    heap_used: value('nodejs_heap_size_used_bytes'),
    heap_total: value('nodejs_heap_size_total_bytes'),
    external: value('nodejs_external_memory_bytes'),
  };
}

/** RSS of a bare node process with a timer (node's own footprint), median of 5 samples after 2 s. */
async function bareNodeRss() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    await sleep(2000);
    const samples = [];
    for (let i = 0; i < 5; i++) {
      samples.push(rssBytes(child.pid));
      await sleep(200);
    }
    return median(samples);
  } finally {
    child.kill('SIGTERM');
  }
}

export async function run({ tables = 10_000, seconds = 60 } = {}) {
  const baseline = await bareNodeRss();
  const server = await startBenchServer({
    major: 18,
    settings: { ...MANY_TABLES_SETTINGS, shared_preload_libraries: 'pg_stat_statements', autovacuum: 'off' },
  });
  let backend;
  try {
    const admin = await createTablesDatabase(server, { tables, statements: STATEMENTS, label: 'rss.bench' });
    let url;
    try {
      url = server.url('bench', 'pgg_bench', await createMonitorRole(admin, 'pgg_bench'));
    } finally {
      await admin.end();
    }
    // The collectors expected to succeed on this server (every loop's, PgBouncer's left out).
    const expected = allCollectorsOf(await serverAt(url)).map((c) => c.name);

    backend = await startBackend({ PGG_TARGET_URL: url, ...shortIntervals(INTERVALS) });
    const pid = backend.child.pid;
    const samples = [];
    let allRanAt;
    const started = Date.now();
    while (Date.now() - started < seconds * 1000) {
      backend.running();
      samples.push({ t: Date.now() - started, rss: rssBytes(pid) });
      if (allRanAt === undefined) {
        const done = succeededCollectors(await backend.metrics());
        if (expected.every((name) => done.has(name))) allRanAt = Date.now() - started;
      }
      await sleep(SAMPLE_MS);
    }
    if (allRanAt === undefined)
      throw new Error(`not every collector succeeded within ${seconds} s: ${backend.output()}`);
    const heap = heapFigures(await backend.metrics());
    const peak = Math.max(...samples.map((s) => s.rss));
    const steadySamples = samples.filter((s) => s.t >= allRanAt).map((s) => s.rss);
    const steady = median(steadySamples);
    const peakMb = peak / MB;
    const steadyMb = steady / MB;
    return {
      tables,
      seconds,
      samples: samples.length,
      all_collectors_ran_after_s: allRanAt / 1000,
      steady_samples: steadySamples.length,
      peak_mb: peakMb,
      steady_mb: steadyMb,
      bare_node_mb: baseline / MB,
      peak_vs_bare_node: peak / baseline,
      heap_mb: heap,
      figures: [
        {
          name: `backend RSS peak, ${tables} tables`,
          value: peakMb,
          unit: 'MB',
          target: `<= ${TARGET_MB} MB`,
          pass: peakMb <= TARGET_MB,
          ratio: peak / baseline,
        },
        {
          name: `backend RSS steady, ${tables} tables`,
          value: steadyMb,
          unit: 'MB',
          target: `<= ${TARGET_MB} MB`,
          pass: steadyMb <= TARGET_MB,
          ratio: steady / baseline,
        },
      ],
    };
  } finally {
    await backend?.stop();
    await server.destroy();
  }
}

export function print(r) {
  console.log(
    `\nbackend RSS on PostgreSQL 18 with ${r.tables} tables: ${r.samples} samples over ${r.seconds} s, every ${SAMPLE_MS} ms; every collector had succeeded after ${r.all_collectors_ran_after_s.toFixed(1)} s\n`,
  );
  console.log('                     MB   vs bare node   target');
  const line = (name, mb) =>
    console.log(
      `${name.padEnd(16)} ${mb.toFixed(1).padStart(7)} ${(mb / r.bare_node_mb).toFixed(2).padStart(12)}x   <= ${TARGET_MB} MB (${mb <= TARGET_MB ? 'within' : 'OVER'})`,
    );
  line('peak', r.peak_mb);
  line(`steady (${r.steady_samples})`, r.steady_mb);
  console.log(
    `${'bare node'.padEnd(16)} ${r.bare_node_mb.toFixed(1).padStart(7)}   (node -e "setInterval(() => {}, 1000)")`,
  );
  const { figures: _figures, ...json } = r;
  console.log(JSON.stringify({ bench: 'rss', ...json }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const tables = Number(process.argv[2] ?? process.env.BENCH_TABLES ?? 10_000);
  const seconds = Number(process.argv[3] ?? process.env.BENCH_RSS_SECONDS ?? 60);
  if (!Number.isInteger(tables) || tables < 1)
    throw new Error(`tables must be a positive integer, got ${tables}`);
  if (!(seconds >= 10)) throw new Error(`seconds must be >= 10, got ${seconds}`);
  run({ tables, seconds }).then(print, (error) => {
    console.error(error);
    process.exit(1);
  });
}
