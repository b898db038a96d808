/* global process, setTimeout, fetch, URL */
// The real backend process (node backend/dist/main.js, as `npm start` runs it) against one target,
// configured through PGG_* variables only (nothing inherited from the caller's environment).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseExposition } from './exposition.mjs';

const MAIN = fileURLToPath(new URL('../../backend/dist/main.js', import.meta.url));

/**
 * The node flags and malloc setting of `npm start` (read from package.json, so the benches measure
 * the process as it is deployed): a small young generation and two malloc arenas keep RSS low.
 */
function startCommand() {
  const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const start = packageJson.scripts.start;
  const flags = /node ((?:--\S+ )*)backend\/dist\/main\.js/.exec(start)?.[1].trim().split(' ') ?? [];
  const arenas = /MALLOC_ARENA_MAX=(\d+)/.exec(start)?.[1];
  return {
    flags: withFlags(flags.filter(Boolean), process.env.BENCH_NODE_FLAGS),
    env: arenas ? { MALLOC_ARENA_MAX: arenas } : {},
  };
}

/**
 * BENCH_NODE_FLAGS (e.g. "--max-semi-space-size=8"): node flags that replace npm start's of the
 * same name or are added, to measure another heap setting than the shipped one (said so in print).
 */
function withFlags(flags, extra) {
  const more = (extra ?? '').split(' ').filter(Boolean);
  const name = (flag) => flag.split('=')[0];
  return [...flags.filter((f) => !more.some((m) => name(m) === name(f))), ...more];
}
const START = startCommand();
/** The node flags the backend runs with (npm start's, with BENCH_NODE_FLAGS if given). */
export const backendNodeFlags = () => START.flags.join(' ');

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** An error that stops waitFor at once (the process waited on has exited). */
export const fatal = (message) => Object.assign(new Error(message), { fatal: true });

/** Polls check() every intervalMs until it returns something other than undefined; other errors are retried. */
export async function waitFor(check, timeoutMs, what, intervalMs = 200) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      if (error.fatal) throw error;
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await sleep(intervalMs);
  }
}

/** Clock ticks a second of /proc/<pid>/stat's CPU times (USER_HZ: 100 on Linux, getconf says). */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds a process has used so far, user + system (utime + stime of /proc/<pid>/stat). */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Resident set size of a process in bytes (VmRSS of /proc/<pid>/status). */
export function rssBytes(pid) {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** The line of a dead process's output that says why (its `fatal:` line), else its last lines. */
export const exitReason = (output) =>
  output.split('\n').find((line) => line.startsWith('fatal:')) ??
  output.trim().split('\n').slice(-3).join(' | ');

/** Every loop's interval set to `seconds`, as PGG_LOOPS__<LOOP>__INTERVAL_S variables. */
export const shortIntervals = (seconds) =>
  Object.fromEntries(
    ['HOT', 'WORKLOAD', 'STORAGE', 'HOURLY'].map((l) => [
      `PGG_LOOPS__${l}__INTERVAL_S`,
      String(seconds[l.toLowerCase()]),
    ]),
  );

/**
 * Starts the backend on a free port with `env` on top of PGG_HTTP_PORT=0 and warn-level logs;
 * resolves once it prints where it listens (`npm start`'s node flags, the heap `heapMb` if given).
 * Returns { child, url, stop(), metrics(), ready(), running(), output(), lines() }.
 * Without a store (PGG_STORE_URL, PGG_DATA_DIR or a config file), its embedded store lives in a
 * throwaway folder, removed by stop(), rather than in the working directory's ./data.
 */
export async function startBackend(env, { timeoutMs = 60_000, heapMb } = {}) {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('PGG_')),
  );
  const throwaway =
    env.PGG_STORE_URL || env.PGG_DATA_DIR || env.PGG_CONFIG
      ? undefined
      : mkdtempSync(path.join(tmpdir(), 'pgg-bench-store-'));
  // When run as root, the embedded server runs as another user, which must reach its folder.
  if (throwaway) chmodSync(throwaway, 0o755);
  // heapMb: a bench that studies something else than memory may give the process more heap (said so).
  const flags = heapMb
    ? [...START.flags.filter((f) => !f.startsWith('--max-old-space-size=')), `--max-old-space-size=${heapMb}`]
    : START.flags;
  const child = spawn(process.execPath, [...flags, MAIN], {
    env: {
      ...inherited,
      ...START.env,
      PGG_HTTP_PORT: '0',
      PGG_LOG_LEVEL: 'warn',
      ...(throwaway ? { PGG_DATA_DIR: throwaway } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  /** Throws (fatal: waitFor stops at once) when the process has exited, with why. */
  const running = () => {
    if (child.exitCode !== null) throw fatal(`backend exited ${child.exitCode}: ${exitReason(output)}`);
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    if (throwaway) rmSync(throwaway, { recursive: true, force: true });
  };
  let url;
  try {
    url = await waitFor(
      () => {
        running();
        return /health (http:\/\/[^/\s]+)\/healthz/.exec(output)?.[1];
      },
      timeoutMs,
      'the backend to listen',
      100,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    child,
    url,
    output: () => output,
    /** The lines of its output (from offset `from`) that include `text`, e.g. a log message. */
    lines: (text, from = 0) =>
      output
        .slice(from)
        .split('\n')
        .filter((line) => line.includes(text)),
    running,
    stop,
    metrics: async () => (await fetch(`${url}/metrics`)).text(),
    // Ready and every target up: a down target is reported, not a readiness failure.
    ready: async () => {
      const response = await fetch(`${url}/readyz`);
      const body = await response.json();
      return (
        response.status === 200 && body.targets.length > 0 && body.targets.every((t) => t.state === 'up')
      );
    },
  };
}

/** Samples of an exposition: its non-empty lines that are not # HELP / # TYPE comments. */
export const seriesLines = (exposition) =>
  exposition.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

/** Names of the collectors that reported success (pgg_collector_success ... 1). */
export const succeededCollectors = (exposition) =>
  new Set(
    parseExposition(exposition, ['pgg_collector_success'])
      .filter((s) => s.value === 1)
      .map((s) => s.labels.collector),
  );
