/* global process, console */
// Runs the benchmarks one after another and prints a summary of their key figures.
//
//   npm run bench                       (builds the backend, then every bench/*.bench.mjs)
//   node bench/run.mjs hot-cycle rss    (only these; names are the file names without .bench.mjs)
//
// Sizes come from the environment, as each bench reads them when run alone: BENCH_TABLES
// (storage, postgres-exporter, rss, monitored-cost; default 10,000: 100,000 is the expensive size),
// BENCH_STATEMENTS (statements), BENCH_SESSIONS (hot-cycle), BENCH_MAJOR (statements, hot-cycle,
// postgres-exporter, governor-reaction, monitored-cost), BENCH_RSS_SECONDS (rss),
// BENCH_STORE_DAYS (store), BENCH_RUNS (governor-reaction), BENCH_STEADY_SECONDS
// (postgres-exporter), BENCH_WINDOW_S and BENCH_PGBENCH_RATE (monitored-cost), BENCH_FLEET_TARGETS,
// BENCH_FLEET_SECONDS (fleet), BENCH_FAILOVER_TARGETS (failover), BENCH_FLEET_PER_SERVER (both).
// Each bench exports run(options) -> result (with `figures` for the summary) and may export
// print(result) for its detailed report. Targets are information: a missed target is printed as
// MISSED and the exit code stays 0; it is 1 only when a bench could not run to the end.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SUFFIX = '.bench.mjs';

/** Figures of the benches that return their own shape rather than `figures`. */
const ADAPTERS = {
  statements: (r) => [
    {
      name: `steady cycle, ${r.entries} entries`,
      value: r.steady.collector_ms,
      unit: 'ms',
      target: '<= 300 ms',
      pass: r.steady.collector_ms <= 300,
      ratio: r.steady.ratio,
    },
    {
      name: 'first cycle (reads texts)',
      value: r.first_cycle.ms,
      unit: 'ms',
      target: '<= 300 ms',
      pass: r.first_cycle.ms <= 300,
      ratio: r.first_cycle.ms / r.first_cycle.raw_sql_ms,
    },
    {
      name: 'temp bytes written',
      value: r.first_cycle.temp_bytes + r.steady.temp_bytes,
      unit: 'B',
      target: '0',
      pass: r.first_cycle.temp_bytes + r.steady.temp_bytes === 0,
    },
  ],
  storage: (r) => {
    const sum = (key) => r.report.reduce((total, row) => total + row[key], 0);
    // <= 1 s at 10,000 tables, <= 5 s at the expensive size (100,000)
    const targetMs = r.requested > 10_000 ? 5000 : 1000;
    return [
      {
        name: `storage loop, ${r.tables} tables`,
        value: sum('collector_ms'),
        unit: 'ms',
        target: `<= ${targetMs} ms`,
        pass: sum('collector_ms') <= targetMs,
        ratio: sum('collector_ms') / sum('raw_sql_ms'),
      },
      {
        name: `temp bytes a cycle (raw SQL: ${Math.round(sum('raw_temp_bytes'))})`,
        value: sum('temp_bytes'),
        unit: 'B',
        target: '0',
        pass: sum('temp_bytes') === 0,
      },
      {
        name: `hourly loop statements, ${r.tables} tables`,
        value: (r.hourly ?? []).reduce((total, h) => total + h.ms, 0),
        unit: 'ms',
      },
    ];
  },
};

/** Options for run() from the environment; unset variables leave each bench's default. */
function optionsFromEnv(env) {
  const map = {
    tables: 'BENCH_TABLES',
    entries: 'BENCH_STATEMENTS',
    sessions: 'BENCH_SESSIONS',
    major: 'BENCH_MAJOR',
    seconds: 'BENCH_RSS_SECONDS',
    storeDays: 'BENCH_STORE_DAYS',
    runs: 'BENCH_RUNS',
    fleetTargets: 'BENCH_FLEET_TARGETS',
    fleetSeconds: 'BENCH_FLEET_SECONDS',
    fleetPerServer: 'BENCH_FLEET_PER_SERVER',
    failoverTargets: 'BENCH_FAILOVER_TARGETS',
  };
  return Object.fromEntries(
    Object.entries(map).flatMap(([key, name]) => (env[name] ? [[key, Number(env[name])]] : [])),
  );
}

const available = readdirSync(here)
  .filter((file) => file.endsWith(SUFFIX))
  .map((file) => file.slice(0, -SUFFIX.length))
  .sort();

function selected(args) {
  if (args.length === 0) return available;
  const names = args.map((arg) => path.basename(arg).replace(SUFFIX, ''));
  const unknown = names.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    console.error(`unknown bench: ${unknown.join(', ')}; available: ${available.join(', ')}`);
    process.exit(2);
  }
  return names;
}

const format = (value, unit) => {
  if (value === null || value === undefined) return '-';
  if (unit === 'x') return `${value >= 0.1 ? value.toFixed(2) : value.toPrecision(2)}x`;
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : 1;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
};

function verdict(figure) {
  if (figure.status) return figure.status;
  if (figure.pass === null || figure.pass === undefined) return 'info';
  return figure.pass ? 'ok' : 'MISSED';
}

function printSummary(rows, cpus) {
  console.log(`\n=== bench summary (${cpus} CPUs; timings on a shared machine vary from run to run) ===\n`);
  const header = ['bench', 'figure', 'value', 'target', 'ratio', 'result'];
  const table = rows.map((r) => [
    r.bench,
    r.name,
    format(r.value, r.unit),
    r.target ?? '',
    r.ratio === undefined ? '' : format(r.ratio, 'x'),
    r.result,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => String(row[i]).length)));
  const line = (cells) => cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ');
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of table) console.log(line(row));
  const missed = rows.filter((r) => r.result === 'MISSED' || r.result === 'ERROR');
  console.log(
    missed.length === 0
      ? '\nevery target met'
      : `\nmissed: ${missed.map((r) => `${r.bench}: ${r.name} (${r.result === 'ERROR' ? r.target : `${format(r.value, r.unit)}, target ${r.target}`})`).join('; ')}`,
  );
}

async function main() {
  const options = optionsFromEnv(process.env);
  const rows = [];
  let failed = false;
  for (const name of selected(process.argv.slice(2))) {
    console.log(`\n=== ${name} ===`);
    const started = Date.now();
    try {
      const bench = await import(pathToFileURL(path.join(here, `${name}${SUFFIX}`)).href);
      const result = await bench.run(options);
      if (bench.print) bench.print(result);
      else console.log(JSON.stringify({ bench: name, ...result }));
      const figures = result.figures ?? ADAPTERS[name]?.(result) ?? [];
      for (const figure of figures) rows.push({ bench: name, ...figure, result: verdict(figure) });
    } catch (error) {
      failed = true;
      console.error(error);
      rows.push({
        bench: name,
        name: 'did not run to the end',
        value: null,
        target: error.message.split('\n')[0].slice(0, 120),
        result: 'ERROR',
      });
    }
    console.log(`(${name}: ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  const { availableParallelism } = await import('node:os');
  printSummary(rows, availableParallelism());
  if (failed) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
