/* global process, fetch */
// postgres_exporter (the Debian package prometheus-postgres-exporter) for side-by-side benches:
// where its binary and example queries.yaml are, a copy of that file fit for the server's major,
// and a process listening on a loopback port.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fatal, waitFor } from './backend-process.mjs';

export const INSTALL_HINT =
  'apt-get install -y prometheus-postgres-exporter (Debian/Ubuntu), or set BENCH_EXPORTER_BIN';

const BINARIES = [
  '/usr/bin/prometheus-postgres-exporter',
  '/usr/local/bin/postgres_exporter',
  '/usr/bin/postgres_exporter',
];
const QUERY_FILES = ['/usr/share/doc/prometheus-postgres-exporter/examples/queries.yaml'];

/** The exporter's binary (BENCH_EXPORTER_BIN when set), or undefined when it is not installed. */
export function exporterBinary() {
  const candidates = process.env.BENCH_EXPORTER_BIN ? [process.env.BENCH_EXPORTER_BIN] : BINARIES;
  return candidates.find((file) => existsSync(file));
}

/**
 * The package's example queries.yaml (per-table pg_stat_user_tables and pg_statio_user_tables,
 * pg_stat_statements, ...), decompressed if gzipped, with the pg_stat_statements columns renamed
 * for the server (total_time -> total_exec_time from 13, blk_read_time -> shared_blk_read_time from
 * 17): as shipped, that query fails on any current server and the exporter would skip the
 * statement coverage we are compared on. Returns { file, source, renamed, cleanup() }.
 */
export function exporterQueries(major) {
  const source = [process.env.BENCH_EXPORTER_QUERIES, ...QUERY_FILES.flatMap((f) => [f, `${f}.gz`])].find(
    (file) => file && existsSync(file),
  );
  if (!source) return undefined;
  const raw = readFileSync(source);
  let text = (source.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const renamed = [];
  const rename = (pattern, replacement, from) => {
    if (major < from) return;
    text = text.replace(pattern, (match, ...groups) => {
      const to = replacement(...groups);
      if (!renamed.includes(`${match} -> ${to}`)) renamed.push(`${match} -> ${to}`);
      return to;
    });
  };
  // \b keeps the metric names (total_time_seconds, blk_read_time_seconds) as they are.
  rename(/\b(total|min|max|mean|stddev)_time\b/g, (kind) => `${kind}_exec_time`, 13);
  rename(/\bblk_(read|write)_time\b/g, (kind) => `shared_blk_${kind}_time`, 17);
  const dir = mkdtempSync(path.join(tmpdir(), 'pgg-bench-exporter-'));
  const file = path.join(dir, 'queries.yaml');
  writeFileSync(file, text);
  return { file, source, renamed, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts the exporter on 127.0.0.1:<port> for one DSN, with the queries file; resolves once its
 * /metrics answers (that first scrape is its warm-up). Returns { scrape(), stop(), errors() }.
 */
export async function startExporter({ binary, dsn, queriesFile, port }) {
  const child = spawn(
    binary,
    [`--web.listen-address=127.0.0.1:${port}`, `--extend.query-path=${queriesFile}`],
    {
      env: { PATH: process.env.PATH, DATA_SOURCE_NAME: dsn },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const scrape = async () => {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    if (response.status !== 200) throw new Error(`exporter answered ${response.status}`);
    return response.text();
  };
  try {
    await waitFor(
      () => {
        if (child.exitCode !== null) throw fatal(`exporter exited ${child.exitCode}: ${log}`);
        return scrape();
      },
      30_000,
      'postgres_exporter to answer',
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { scrape, stop, log: () => log };
}
