import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BackendProcess, eventually } from '../support/backend-process';
import { startPostgres, TestPostgres } from '../support/postgres';
import { governorUrl, monitorUrl, prepareTarget } from '../governor/governor-kit';

/**
 * Several backend replicas on one store, watching several targets (databases of one server):
 * their configuration, the targets folder they share, and what the store and their /metrics
 * say about who collects what.
 */

export interface Replica {
  backend: BackendProcess;
  url: string;
  /** Its id in the store (pgg_replica_info). */
  id: string;
}

/**
 * The fleet's servers: a target server whose databases stand for clusters (the harness roles,
 * without their per-server connection limit: one server stands for them all) and a store.
 */
export async function startFleetServers(
  databases: string[],
  targetConnections = 150,
): Promise<{ target: TestPostgres; store: TestPostgres }> {
  const [target, store] = await Promise.all([
    startPostgres({ maxConnections: targetConnections }),
    startPostgres({ maxConnections: 60 }),
  ]);
  await prepareTarget(target);
  await target.query(
    'ALTER ROLE pgg_monitor CONNECTION LIMIT -1; ALTER ROLE pgg_governor CONNECTION LIMIT -1',
  );
  for (const name of databases) await target.query(`CREATE DATABASE ${name}`);
  return { target, store };
}

/** A target of the fleet: database `name` of the target server, through the harness roles. */
export function targetEntry(target: TestPostgres, name: string, extra: Record<string, unknown> = {}) {
  const dsn = (url: string) => url.replace(/\/postgres(\?|$)/, `/${name}$1`);
  return {
    name,
    dsn: dsn(monitorUrl(target)),
    governor_dsn: dsn(governorUrl(target)),
    ...extra,
  };
}

export class FleetDir {
  readonly root = mkdtempSync(path.join(tmpdir(), 'pgg-fleet-'));
  readonly targets = path.join(this.root, 'targets');

  constructor() {
    mkdirSync(this.targets);
  }

  /** A file of targets_dir (JSON is YAML), written whole at once (rename over it). */
  writeTargets(file: string, content: unknown): void {
    const temp = path.join(this.root, `.${file}.tmp`);
    writeFileSync(temp, typeof content === 'string' ? content : JSON.stringify(content));
    renameSync(temp, path.join(this.targets, file));
  }

  removeTargets(file: string): void {
    rmSync(path.join(this.targets, file), { force: true });
  }

  /** A replica's configuration file: the shared store (or a proxy to it), the shared targets folder. */
  config(storeUrl: string, name: string, extra: Record<string, unknown> = {}): string {
    const file = path.join(this.root, `${name}.yaml`);
    const config = {
      http: { host: '127.0.0.1' },
      store: { url: storeUrl, flush_interval_ms: 200 },
      targets_dir: this.targets,
      targets_rescan_s: 2,
      loops: { hot: { interval_s: 1 } },
      defaults: { governor: { mode: 'dry-run' } },
      ...extra,
    };
    writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
    return file;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** The product's join window (replicas.join_window_ms): the harness sets none for a lone backend. */
export const JOIN_WINDOW_MS = 4000;

export async function startReplica(configFile: string, env: Record<string, string> = {}): Promise<Replica> {
  const { backend, url } = await BackendProcess.start({
    PGG_CONFIG: configFile,
    PGG_REPLICAS__JOIN_WINDOW_MS: String(JOIN_WINDOW_MS),
    ...env,
  });
  const text = await metrics(url);
  const id = /pgg_replica_info\{replica="([^"]+)"\} 1/.exec(text)?.[1];
  if (!id) throw new Error(`no pgg_replica_info in the metrics of ${url}`);
  return { backend, url, id };
}

export async function metrics(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

/** A table frame of the query API, as far as the fleet tests read it. */
export interface TableFrame {
  schema: { fields: { name: string }[]; meta?: { custom?: { takenAt?: Record<string, number> } } };
  data: { values: unknown[][] };
}

/** A replica's answer to a latest-table query (POST /api/v1/query), its first frame. */
export async function latestTable(
  replica: Replica,
  table: string,
  targets?: string[],
): Promise<TableFrame | undefined> {
  const response = await fetch(`${replica.url}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      range: { from: 'now-5m', to: 'now' },
      intervalMs: 1000,
      maxDataPoints: 100,
      queries: [{ refId: 'A', kind: 'table', table, ...(targets ? { targets } : {}) }],
    }),
  });
  const body = (await response.json()) as { results: { A: { frames: TableFrame[] } } };
  return body.results.A.frames[0];
}

/** The targets a replica says it owns (pgg_target_owned 1). */
export async function ownedBy(replica: Replica): Promise<string[]> {
  const text = await metrics(replica.url);
  return [...text.matchAll(/^pgg_target_owned\{target="([^"]+)"\} 1$/gm)].map((m) => m[1] as string).sort();
}

/** The targets a replica collects: its activity collector succeeded on them. */
export async function collectedBy(replica: Replica): Promise<string[]> {
  const text = await metrics(replica.url);
  return [...text.matchAll(/^pgg_collector_success\{target="([^"]+)",collector="activity"\} 1$/gm)].map(
    (m) => m[1] as string,
  );
}

/** target -> live owner, as the store holds it. */
export async function storeOwners(store: TestPostgres): Promise<Map<string, string>> {
  const rows = await store.query<{ target: string; owner: string }>(
    `SELECT o.target, o.owner FROM target_owners o
       JOIN replicas r ON r.instance = o.owner AND r.expires_at > clock_timestamp()`,
  );
  return new Map(rows.map((r) => [r.target, r.owner]));
}

/**
 * Waits until every one of `targets` is owned (in the store and by the owner's own word) and
 * collected by exactly one of the replicas, and no replica claims any other; returns target -> owner.
 */
export async function settledOwnership(
  replicas: Replica[],
  targets: string[],
  timeoutMs = 30_000,
  options: { evenly?: boolean } = {},
): Promise<Map<string, Replica>> {
  let seen = '';
  return eventually(
    async () => {
      const owned = await Promise.all(replicas.map(ownedBy));
      const collected = await Promise.all(replicas.map(collectedBy));
      seen = JSON.stringify({ owned, collected });
      const owner = new Map<string, Replica>();
      for (const [i, list] of owned.entries())
        for (const target of list) {
          if (owner.has(target)) return undefined; // twice: not settled (or wrong, then it times out)
          owner.set(target, replicas[i] as Replica);
        }
      const want = [...targets].sort();
      if (JSON.stringify([...owner.keys()].sort()) !== JSON.stringify(want)) return undefined;
      for (const [i, list] of collected.entries())
        if (JSON.stringify([...list].sort()) !== JSON.stringify(owned[i])) return undefined;
      // Each its fair share: at most ceil(targets / replicas).
      const fair = Math.ceil(targets.length / replicas.length);
      if (options.evenly && owned.some((list) => list.length > fair)) return undefined;
      return owner;
    },
    timeoutMs,
    `each of ${targets.join(', ')} owned and collected by exactly one replica${options.evenly ? ', evenly' : ''}`,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last seen (per replica): ${seen}`);
  });
}

/**
 * Records every change of a target's owner in the store (test-side trigger): a steal is a row
 * going from a live owner straight to another, without the owner releasing it first.
 */
export async function recordOwnerChanges(store: TestPostgres): Promise<void> {
  await store.query(`
    CREATE TABLE IF NOT EXISTS test_owner_changes (
      at timestamptz NOT NULL DEFAULT clock_timestamp(), target text, old_owner text,
      new_owner text, old_owner_live boolean);
    CREATE OR REPLACE FUNCTION test_owner_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO test_owner_changes (target, old_owner, new_owner, old_owner_live)
      VALUES (NEW.target, OLD.owner, NEW.owner,
              EXISTS (SELECT FROM replicas WHERE instance = OLD.owner AND expires_at > clock_timestamp()));
      RETURN NEW;
    END $$;
    DROP TRIGGER IF EXISTS test_owner_change ON target_owners;
    CREATE TRIGGER test_owner_change BEFORE UPDATE ON target_owners
      FOR EACH ROW WHEN (OLD.owner IS DISTINCT FROM NEW.owner) EXECUTE FUNCTION test_owner_change();`);
}

export async function steals(
  store: TestPostgres,
): Promise<{ target: string; old_owner: string; new_owner: string }[]> {
  return store.query(
    'SELECT target, old_owner, new_owner FROM test_owner_changes WHERE old_owner_live ORDER BY at',
  );
}

/**
 * Samples of the hot loop's pg_connections_used per target since `since` (store clock), against
 * what one collector at the hot interval can have written: two collectors would write about twice
 * as many.
 */
export async function hotSampleCounts(
  store: TestPostgres,
  since: Date,
): Promise<Map<string, { samples: number; seconds: number }>> {
  const rows = await store.query<{ target: string; samples: number; seconds: number }>(
    `SELECT s.target, count(*)::int AS samples,
            extract(epoch FROM max(x.ts) - min(x.ts))::float8 AS seconds
       FROM samples x JOIN series s ON s.id = x.series_id
      WHERE s.metric = 'pg_connections_used' AND x.ts >= $1
      GROUP BY s.target`,
    [since],
  );
  return new Map(rows.map((r) => [r.target, { samples: r.samples, seconds: r.seconds }]));
}

/**
 * A TCP proxy to the store for one replica, to cut that replica alone off from it (a network
 * partition) while the others still reach it.
 */
export class StoreProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly store: TestPostgres) {}

  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(this.store.port, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => {
          this.sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address && typeof address !== 'string') this.port = address.port;
  }

  /** The store's URL through this proxy. */
  url(): string {
    return this.store.superuserUrl.replace(`:${this.store.port}/`, `:${this.port}/`);
  }

  /** Open again on the same port, after a cut. */
  heal(): Promise<void> {
    return this.open();
  }

  /** Cut: connections dropped, new ones refused. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    // close() waits for the open connections: drop them first.
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export { eventually };
