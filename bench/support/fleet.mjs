/* global console, process */
// A simulated fleet for the fleet benches: a few embedded PostgreSQL servers with many databases
// each, every database a target (its own name, DSNs, fence lock and loops, as a cluster of its own
// would have), listed in a targets_dir of YAML files; a shared external store (another embedded
// server, as fleets run one); replicas' configuration files.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startBenchServer } from './server.mjs';
import { createLoginRole, createMonitorRole } from './roles.mjs';

export const READ_TOKEN = 'bench-fleet-read-token-0123456789';
/**
 * Databases (targets) a server by default: each target sees its server's databases and sessions,
 * so 10 make clusters of 11 databases (BENCH_FLEET_PER_SERVER changes it).
 */
export const DATABASES_PER_SERVER = 10;
/** The hot loop's series the benches follow per target (the activity collector's, every 5 s). */
export const HOT_SERIES_METRIC = 'pg_connections_used';

/**
 * The server settings of a target server: room for every target's held connections (the
 * governor's session and the loops' one, a second while loops overlap) and the benches' own, and
 * pg_stat_statements, so that the statements collector runs on every target as it would on a
 * production cluster.
 */
const targetSettings = (databases) => ({
  max_connections: databases * 4 + 30,
  shared_preload_libraries: 'pg_stat_statements',
  // Nothing to vacuum in these databases; its workers visiting them would only add noise.
  autovacuum: 'off',
});

/** One target server: roles, pg_stat_statements in template1 (so in every database), `databases` databases. */
async function startTargetServer({ index, databases, major }) {
  const server = await startBenchServer({ major, settings: targetSettings(databases) });
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  try {
    const monitor = await createMonitorRole(admin, 'pgg_monitor');
    // The governor's role as sql/roles/governor-role.sql makes it, without its connection limit (the
    // limit is per server, and here one server stands for 50 clusters).
    const governor = await createLoginRole(admin, 'pgg_governor', 'pg_signal_backend');
    await admin.query('GRANT pg_read_all_stats TO pgg_governor');
    if (major >= 16) await admin.query('GRANT pg_use_reserved_connections TO pgg_governor');
    const template = new pg.Client({ connectionString: server.url('template1') });
    await template.connect();
    try {
      await template.query('CREATE EXTENSION pg_stat_statements');
      // Before 15, PUBLIC may create in schema public: the backend refuses a role that can write.
      if (major < 15) await template.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    } finally {
      await template.end();
    }
    const targets = [];
    for (let d = 1; d <= databases; d++) {
      const database = `fleet_${String(d).padStart(3, '0')}`;
      await admin.query(`CREATE DATABASE ${database}`);
      targets.push({
        name: `pg${index}.${database}`,
        dsn: server.url(database, 'pgg_monitor', monitor),
        governor_dsn: server.url(database, 'pgg_governor', governor),
      });
    }
    return { server, targets };
  } catch (error) {
    await server.destroy();
    throw error;
  } finally {
    await admin.end();
  }
}

/**
 * `servers` target servers with `databases` databases each, started together. Each target sees
 * its whole server in the cluster-wide views (pg_stat_activity, pg_stat_database,
 * pg_stat_statements): its server's databases and every session on it, so `databases` sets how
 * big each simulated cluster looks. Returns
 * { targets: [{ name, dsn, governor_dsn }], servers, destroy() }.
 */
async function startTargetServers({ servers, databases, major = 18, label = 'fleet' }) {
  const start = Date.now();
  // Each server listens for Ctrl-C to remove itself (startBenchServer): a fleet has dozens.
  process.setMaxListeners(Math.max(process.getMaxListeners(), servers + 10));
  const settled = await Promise.allSettled(
    Array.from({ length: servers }, (_, i) => startTargetServer({ index: i + 1, databases, major })),
  );
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const destroy = () => Promise.all(started.map((s) => s.server.destroy()));
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) {
    await destroy();
    throw failed.reason;
  }
  console.error(
    `[${label}] ${servers} target servers x ${databases} databases in ${((Date.now() - start) / 1000).toFixed(1)} s`,
  );
  return { targets: started.flatMap((s) => s.targets), servers: started.map((s) => s.server), destroy };
}

/** The shared history store: a server of its own, durability off like the targets. */
function startStoreServer(major = 18) {
  return startBenchServer({ major, settings: { max_connections: 100 } });
}

/**
 * A bench's fleet: `targets` targets on ceil(targets / perServer) target servers (as many databases
 * each as that takes) and the shared store, started together. Returns { targets, servers,
 * databases, store, load (the load average before they started), destroy() }.
 */
export async function startFleet({ targets, perServer = DATABASES_PER_SERVER, major = 18, label }) {
  const servers = Math.ceil(targets / perServer);
  const databases = Math.ceil(targets / servers);
  const load = loadavg()[0];
  const [fleetStart, storeStart] = await Promise.allSettled([
    startTargetServers({ servers, databases, major, label }),
    startStoreServer(major),
  ]);
  // One side failing (a port taken, say): what the other started goes too, or it keeps the bench
  // (and the bench lock) alive.
  if (fleetStart.status === 'rejected' || storeStart.status === 'rejected') {
    if (fleetStart.status === 'fulfilled') await fleetStart.value.destroy();
    if (storeStart.status === 'fulfilled') await storeStart.value.destroy();
    throw fleetStart.status === 'rejected' ? fleetStart.reason : storeStart.reason;
  }
  const [fleet, store] = [fleetStart.value, storeStart.value];
  return {
    targets: fleet.targets.slice(0, targets),
    servers,
    databases,
    store,
    load,
    destroy: async () => {
      await store.destroy();
      await fleet.destroy();
    },
  };
}

/** A folder for targets_dir and the replicas' configuration files; remove() when done. */
export class FleetFolder {
  constructor() {
    this.root = mkdtempSync(path.join(tmpdir(), 'pgg-bench-fleet-'));
    this.targets = path.join(this.root, 'targets');
    mkdirSync(this.targets);
  }

  /** A targets_dir of a replica's own (one that starts with part of the fleet). */
  targetsDir(name) {
    const dir = path.join(this.root, `targets-${name}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Writes a targets_dir: one file per server (`targets:` with a list; JSON is YAML), each written whole. */
  writeTargets(targets, dir = this.targets) {
    const byServer = new Map();
    for (const t of targets) {
      const server = t.name.split('.')[0];
      byServer.set(server, [...(byServer.get(server) ?? []), t]);
    }
    for (const [server, list] of byServer) {
      const temp = path.join(this.root, `.${server}.tmp`);
      writeFileSync(temp, JSON.stringify({ targets: list }));
      renameSync(temp, path.join(dir, `${server}.yaml`));
    }
  }

  /**
   * A replica's configuration: the shared store (a database of the store server), a targets_dir
   * (the shared one unless given), a read token for the API; everything else at its defaults (loop
   * intervals, heartbeat, lease, flush interval, pools).
   */
  config(storeUrl, name, targetsDir = this.targets) {
    const file = path.join(this.root, `${name}.yaml`);
    const config = {
      http: { host: '127.0.0.1' },
      auth: { read_tokens: [READ_TOKEN] },
      store: { url: storeUrl },
      targets_dir: targetsDir,
    };
    writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
    return file;
  }

  remove() {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A database of the store server for one run's history store (an external store is not created by the backend). */
export async function createStoreDatabase(store, database) {
  const admin = new pg.Client({ connectionString: store.url() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  return store.url(database);
}

/** A pg.Pool on the store's database, for the benches' own reads. */
export function storeReader(store, database) {
  return new pg.Pool({ connectionString: store.url(database), max: 2 });
}

/**
 * target -> newest time (ms) of its hot-loop sample (pg_connections_used) in the store, for samples
 * newer than `since` (ms).
 */
export async function newestHotSamples(db, since) {
  const { rows } = await db.query(
    `SELECT s.target, (extract(epoch FROM max(x.ts)) * 1000)::float8 AS newest,
            (extract(epoch FROM min(x.ts)) * 1000)::float8 AS oldest
       FROM samples x JOIN series s ON s.id = x.series_id
      WHERE s.metric = $1 AND x.ts > $2
      GROUP BY s.target`,
    [HOT_SERIES_METRIC, new Date(since)],
  );
  return new Map(rows.map((r) => [r.target, { newest: r.newest, oldest: r.oldest }]));
}

/** Every hot-loop sample time (ms) of each target between from and to (ms), in order. */
export async function hotSampleTimes(db, from, to) {
  const { rows } = await db.query(
    `SELECT s.target, array_agg((extract(epoch FROM x.ts) * 1000)::float8 ORDER BY x.ts) AS times
       FROM samples x JOIN series s ON s.id = x.series_id
      WHERE s.metric = $1 AND x.ts >= $2 AND x.ts < $3
      GROUP BY s.target`,
    [HOT_SERIES_METRIC, new Date(from), new Date(to)],
  );
  return new Map(rows.map((r) => [r.target, r.times]));
}

/** Samples stored between from and to (ms), by target, for the given metrics. */
export async function samplesByTarget(db, metrics, from, to) {
  const { rows } = await db.query(
    `SELECT s.target, count(*)::float8 AS samples
       FROM samples x JOIN series s ON s.id = x.series_id
      WHERE s.metric = ANY($1) AND x.ts >= $2 AND x.ts < $3
      GROUP BY s.target`,
    [metrics, new Date(from), new Date(to)],
  );
  return new Map(rows.map((r) => [r.target, r.samples]));
}

/** target -> owner, for owners whose lease is live in the store. */
export async function liveOwners(db) {
  const { rows } = await db.query(
    `SELECT o.target, o.owner FROM target_owners o
       JOIN replicas r ON r.instance = o.owner AND r.expires_at > clock_timestamp()`,
  );
  return new Map(rows.map((r) => [r.target, r.owner]));
}
