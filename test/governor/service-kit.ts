import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { LEVEL_VALUE } from '../../backend/src/governor/levels';
import { BackendProcess, eventually } from '../support/backend-process';
import { TestPostgres } from '../support/postgres';
import { clientBackends, governorUrl, monitorUrl, PASSWORD, PROTECTED } from './governor-kit';

/** The real backend (backend/dist/main.js) governing one target, journaling to an external store. */

export const ADMIN_TOKEN = 'governor-admin-token-0123456789';
export const READ_TOKEN = 'governor-read-token-0123456789';

/** Starts a backend with a configuration file (JSON is YAML) naming the target with both roles. */
export async function startGovernedBackend(
  target: TestPostgres,
  store: TestPostgres,
  mode: 'dry-run' | 'enforce',
): Promise<{ backend: BackendProcess; url: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pgg-governor-config-'));
  const file = path.join(dir, 'config.yaml');
  const config = {
    targets: [
      {
        name: 'main',
        dsn: monitorUrl(target),
        governor_dsn: governorUrl(target),
        governor: { mode, protected: PROTECTED },
      },
    ],
    http: { host: '127.0.0.1' },
    auth: { read_tokens: [READ_TOKEN], admin_tokens: [ADMIN_TOKEN] },
    store: { url: store.superuserUrl, flush_interval_ms: 200 },
    loops: { hot: { interval_s: 2 } },
  };
  writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
  try {
    return await BackendProcess.start({ PGG_CONFIG: file });
  } finally {
    // Read once at start.
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 5000).unref();
  }
}

export interface StoredEventRow {
  ts: Date;
  kind: string;
  title: string;
  data: Record<string, unknown>;
}

/** The target's events as the store holds them, oldest first. */
export async function storedEvents(store: TestPostgres, kind?: string): Promise<StoredEventRow[]> {
  return store.query<StoredEventRow>(
    `SELECT ts, kind, title, data FROM events WHERE target = 'main' AND ($1::text IS NULL OR kind = $1)
      ORDER BY ts, (data->>'pid')`,
    [kind ?? null],
  );
}

/** Signalled interventions' pids, in the order they were made. */
export async function signalledPids(store: TestPostgres): Promise<{ pid: number; instance: string }[]> {
  return (await storedEvents(store, 'intervention'))
    .filter((e) => e.data.result === 'signalled')
    .map((e) => ({ pid: e.data.pid as number, instance: e.data.instance as string }));
}

/** One sample of an exposition, by name and labels (undefined if absent). */
export function metricOf(
  exposition: string,
  name: string,
  labels: Record<string, string>,
): number | undefined {
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

export async function metrics(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

/**
 * Waits until the governor behind `url` has shed load and stopped (usage fell below the optimize
 * threshold in a snapshot it decided on; usage may creep back above it with the backend's own
 * connections, without a new critical there is nothing more to shed), and returns how many
 * sessions it has terminated by then. Its count includes every client (the test's probes, the
 * backend's own pools), so how many it takes varies from run to run; once settled, it no longer moves.
 */
export async function settledTerminations(
  url: string,
  timeoutMs = 30_000,
  backend?: BackendProcess,
): Promise<number> {
  let seen = '';
  return eventually(
    async () => {
      const text = await metrics(url);
      // the level is the usage against the thresholds (governor/levels), both of one snapshot
      const level = metricOf(text, 'pgg_governor_level', { target: 'main' }) ?? Number.NaN;
      const done = metricOf(text, 'pgg_governor_actions_total', {
        target: 'main',
        action: 'terminate',
        result: 'signalled',
      });
      const shedding = metricOf(text, 'pgg_governor_shedding', { target: 'main' });
      const usage = metricOf(text, 'pgg_governor_usage_ratio', { target: 'main' });
      seen = `level ${level}, usage ${usage}, shedding ${shedding}, ${done} signalled`;
      return shedding === 0 && level < LEVEL_VALUE.critical && done !== undefined ? done : undefined;
    },
    timeoutMs,
    'the governor to have shed load and stopped',
  ).catch((error: unknown) => {
    // What the governor, the loops and the target monitor did and judged, for the failure's report.
    process.stderr.write(`last seen: ${seen}\n`);
    for (const line of backend?.logLines() ?? [])
      if (/governor|circuit|collector|target/.test(String(line.msg)))
        process.stderr.write(`${JSON.stringify(line)}\n`);
    throw error;
  });
}

/**
 * Opens sessions running pg_sleep until the server counts `clients` client backends (or refuses
 * more): what a connection storm of busy clients looks like.
 */
export async function fillWithActive(target: TestPostgres, clients: number): Promise<Client[]> {
  const opened: Client[] = [];
  for (let i = 0; i < 64; i++) {
    if ((await clientBackends(target)) >= clients) break;
    const client = new Client({
      connectionString: target.url('postgres', 'app_user', PASSWORD),
      application_name: 'storm',
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch {
      break; // full for ordinary roles
    }
    client.query('SELECT pg_sleep(600)').catch(() => undefined);
    opened.push(client);
  }
  return opened;
}
