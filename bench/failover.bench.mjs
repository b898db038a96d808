/* global process, console, fetch */
// Replicas sharing a fleet (issue 16): three replicas on one store share 300 targets; one is killed
// (-9), and the bench times until every one of its targets is collected again, counts the samples
// missing in the gap and looks for duplicates; then a replacement joins and another replica stops
// (SIGTERM), handing its targets over at once. All measured on the store the replicas write to.
//
//   npm run build && node bench/failover.bench.mjs
//   (BENCH_FAILOVER_TARGETS, default 300; BENCH_FLEET_PER_SERVER, default 10; BENCH_MAJOR, default 18)
//
// The fleet as in bench/fleet.bench.mjs: ceil(targets / 10) embedded PostgreSQL servers with 10
// databases each, every database a target, every replica configured with all of them; the store on
// another embedded server. Replicas are the real backend (node
// backend/dist/main.js with npm start's flags) at the default configuration: hot loop 5 s,
// heartbeat 2 s, lease 8 s, flush 2 s.
//  1. Three replicas start together, each configured with the whole fleet: each registers in the
//     store and claims nothing during its join window (replicas.join_window_ms, 4 s), so each
//     takes its share at once. Printed: the time until every target has a live owner in the store
//     (target_owners joined to live replicas), each replica at most its fair share, and every
//     target a fresh hot sample; the claims until then and the targets claimed twice (started on
//     one replica, then handed to another: a start-up storm; target 0). Then, once the workload and
//     storage loops have collected on every target (the start's first cycles over), 20 s more.
//  2. kill -9 of the replica owning the most targets. Polling the store every 250 ms: when its
//     targets have live owners again, and when each has a hot sample (pg_connections_used, taken
//     every hot cycle) newer than the kill. Recovery: the kill to the last of those samples' time
//     (when the new owner collected it; target <= 15 s), and to when the bench saw it stored.
//     Where that time went, target by target (support/failover-timeline.mjs): claimed, up (with
//     BENCH_FAILOVER_LOGS), collected, seen stored; each step's quantiles and the slowest targets.
//  3. Missing in the gap: per moved target, the hot intervals between its last sample before the
//     kill and its first after (those still in the dead replica's buffer count as missing), times
//     the samples its hot loop writes an interval (counted before the kill); reported.
//  4. Duplicates, over the whole run from the settled fleet on, for every target: two samples of a
//     series taken less than half a hot interval apart, what two collectors on one target write
//     (the store's unique index on (series, time) would fold two at the very same time), unless
//     within an interval and a second after a claim of the target (a new owner's first cycle falls
//     anywhere in the old one's interval, and it runs one when its connection comes up besides its
//     first tick). Target 0. Also: claims from a live owner (a trigger on target_owners records
//     every claim). Target 0. And how often a replica could not renew its lease in time, and why
//     its heartbeats failed.
//  5. A replacement replica starts (it takes its fair share from the others' excess), then one
//     replica gets SIGTERM: the same figures for the targets it hands over. When this phase does
//     not settle, the kill's figures stand and these say why they were not measured.
// Exports run() and print() for bench/run.mjs; runs both when invoked directly.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { sleep, startBackend, waitFor } from './support/backend-process.mjs';
import { collectorsOf, serverAt } from './support/loops.mjs';
import { dist } from './support/server.mjs';
import {
  createStoreDatabase,
  DATABASES_PER_SERVER,
  FleetFolder,
  hotSampleTimes,
  liveOwners,
  newestHotSamples,
  samplesByTarget,
  READ_TOKEN,
  startFleet,
  storeReader,
} from './support/fleet.mjs';
import { failoverTimeline, summarizeTimeline } from './support/failover-timeline.mjs';

const GOALS = { recoveryS: 15, duplicates: 0 };
const REPLICAS = 3;
const HOT_INTERVAL_MS = 5000;
const STEADY_MS = 20_000;
const AFTER_MS = 15_000;
const POLL_MS = 250;

const log = (message) => console.error(`[failover.bench] ${message}`);
const { migrate } = await import(dist('store/migrate.js'));
const QUIET = { info() {}, warn() {}, error() {}, debug() {}, child: () => QUIET };

/** A loop's metrics on these servers (the hot loop's: those its collectors write every cycle). */
async function loopMetrics(dsn, loop = 'hot') {
  return [...new Set(collectorsOf(loop, await serverAt(dsn)).flatMap((c) => c.metrics.map((m) => m.name)))];
}

/**
 * Waits until the workload and storage loops have collected on every target since `from` (a
 * sample of one of their metrics in the store; the hourly loop's first cycle comes within 100 ms
 * of the storage loop's, but may write no sample for an hour when it fails on a busy server): the
 * start's first cycles are over, and what follows is the steady state.
 * The first cycles of the heavier loops (workload, storage, hourly) of targets started together
 * come a few seconds after their first hot cycles and spend many hot cycles' budget meanwhile:
 * a kill during them would count their gaps as the kill's. Returns the seconds waited, or why not.
 */
async function firstCyclesOver(db, dsn, names, from) {
  const started = Date.now();
  const byLoop = await Promise.all(
    ['workload', 'storage'].map(async (loop) => [loop, await loopMetrics(dsn, loop)]),
  );
  let seen = '';
  try {
    await waitFor(
      async () => {
        const counts = await Promise.all(
          byLoop.map(async ([loop, metrics]) => {
            const collected = await samplesByTarget(db, metrics, from, Date.now());
            return [loop, collected.size, names.filter((name) => !collected.has(name))];
          }),
        );
        seen = counts
          .map(
            ([loop, n, missing]) =>
              `${loop} ${n}${missing.length > 0 ? ` (not: ${missing.slice(0, 20).join(' ')})` : ''}`,
          )
          .join(', ');
        return counts.every(([, n]) => n >= names.length) ? true : undefined;
      },
      120_000,
      'the workload and storage loops to collect on every target',
      2000,
    );
    return (Date.now() - started) / 1000;
  } catch (error) {
    log(`${error.message}; targets collected by loop: ${seen}; going on`);
    return `not seen: ${seen}`;
  }
}

/**
 * A trigger on target_owners recording every claim (insert, or update from another owner) and
 * whether the previous owner was still live then: a claim from a live owner is a steal.
 */
async function recordOwnerChanges(db) {
  await db.query(`
    CREATE TABLE bench_owner_changes (
      at timestamptz NOT NULL DEFAULT clock_timestamp(), target text, old_owner text, new_owner text,
      old_owner_live boolean);
    CREATE FUNCTION bench_owner_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO bench_owner_changes (target, new_owner, old_owner_live) VALUES (NEW.target, NEW.owner, false);
      ELSIF OLD.owner IS DISTINCT FROM NEW.owner THEN
        INSERT INTO bench_owner_changes (target, old_owner, new_owner, old_owner_live)
        VALUES (NEW.target, OLD.owner, NEW.owner,
                EXISTS (SELECT FROM replicas WHERE instance = OLD.owner AND expires_at > clock_timestamp()));
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER bench_owner_change BEFORE INSERT OR UPDATE ON target_owners
      FOR EACH ROW EXECUTE FUNCTION bench_owner_change();`);
}

/** How the start went: claims until now, targets claimed more than once (started, then handed over). */
async function startClaims(db, names, from) {
  const { rows } = await db.query(
    `SELECT target, count(*)::int AS n FROM bench_owner_changes WHERE at >= to_timestamp($1 / 1000.0) GROUP BY target`,
    [from],
  );
  const counts = new Map(rows.map((r) => [r.target, r.n]));
  return {
    claims: rows.reduce((n, r) => n + r.n, 0),
    claimed_twice: names.filter((n) => (counts.get(n) ?? 0) > 1).length,
  };
}

async function steals(db) {
  const { rows } = await db.query('SELECT count(*)::int AS n FROM bench_owner_changes WHERE old_owner_live');
  return rows[0].n;
}

/** target -> the times (ms) a replica claimed it. */
async function claimTimes(db) {
  const { rows } = await db.query(
    `SELECT target, array_agg((extract(epoch FROM at) * 1000)::float8 ORDER BY at) AS times
       FROM bench_owner_changes GROUP BY target`,
  );
  return new Map(rows.map((r) => [r.target, r.times]));
}

/** BENCH_FAILOVER_LOGS=<folder>: the replicas log at info and their output is written there. */
const LOG_DIR = process.env.BENCH_FAILOVER_LOGS;
/**
 * BENCH_FAILOVER_HEAP_MB: the replicas' heap instead of npm start's (384 MB), which does not hold the
 * 150 targets a survivor of the kill owns (see bench/README.md), and memory.limit_mb to match;
 * memory is the fleet bench's subject.
 */
const HEAP_MB = process.env.BENCH_FAILOVER_HEAP_MB ? Number(process.env.BENCH_FAILOVER_HEAP_MB) : undefined;

async function startReplica(folder, url, name, targetsDir) {
  const backend = await startBackend(
    {
      PGG_CONFIG: folder.config(url, name, targetsDir),
      ...(LOG_DIR ? { PGG_LOG_LEVEL: 'info' } : {}),
      // The memory guard's ceiling in the same proportion as npm start's (512 MB for a 384 MB heap).
      ...(HEAP_MB ? { PGG_MEMORY__LIMIT_MB: String(Math.round((HEAP_MB * 4) / 3)) } : {}),
    },
    { timeoutMs: 120_000, heapMb: HEAP_MB },
  );
  // Its id from the overview (the API answers once it is up), and why not if the process died.
  let id;
  try {
    const response = await fetch(`${backend.url}/api/v1/overview`, {
      headers: { authorization: `Bearer ${READ_TOKEN}` },
    });
    id = (await response.json()).replica;
  } catch (error) {
    if (LOG_DIR) {
      mkdirSync(LOG_DIR, { recursive: true });
      writeFileSync(path.join(LOG_DIR, `${name}.log`), backend.output());
    }
    await backend.stop();
    throw new Error(`${name}: /api/v1/overview: ${error.message} (exit ${backend.child.exitCode ?? 'none'})`);
  }
  if (!id) {
    await backend.stop();
    throw new Error(`no replica id in the overview of ${name}`);
  }
  return { name, id, backend };
}

const alive = (replica) =>
  replica.backend.child.exitCode === null && replica.backend.child.signalCode === null;

/**
 * Waits until every target has a live owner among `replicas`, none above its fair share, and a hot
 * sample newer than 1.5 intervals ago. Returns target -> owner id.
 */
async function settled(db, replicas, names) {
  const ids = new Set(replicas.map((r) => r.id));
  const fair = Math.ceil(names.length / replicas.length);
  let seen = '';
  return waitFor(
    async () => {
      const owners = await liveOwners(db);
      const fresh = await newestHotSamples(db, Date.now() - 1.5 * HOT_INTERVAL_MS);
      const counts = replicas.map((r) => [...owners.values()].filter((o) => o === r.id).length);
      seen = `owned ${counts.join('/')}, fresh ${fresh.size} of ${names.length}`;
      const ok = names.every((n) => ids.has(owners.get(n)) && fresh.has(n)) && counts.every((c) => c <= fair);
      return ok ? owners : undefined;
    },
    180_000,
    `every target owned (at most ${fair} a replica) and collected`,
    1000,
  ).catch((error) => {
    throw new Error(`${error.message}; last seen: ${seen}`);
  });
}

/**
 * After the victim went (at `at`): polls the store until each of `moved` has a live owner other than
 * the victim and a hot sample newer than `at`. Returns the times (ms after `at`).
 */
async function recovery(db, victim, moved, at) {
  const ownedAt = new Map();
  const storedAt = new Map();
  const deadline = at + 120_000;
  while (storedAt.size < moved.length && Date.now() < deadline) {
    const [owners, fresh] = await Promise.all([liveOwners(db), newestHotSamples(db, at)]);
    const now = Date.now() - at;
    for (const target of moved) {
      const owner = owners.get(target);
      if (!ownedAt.has(target) && owner && owner !== victim.id) ownedAt.set(target, now);
      if (!storedAt.has(target) && fresh.has(target)) storedAt.set(target, now);
    }
    await sleep(POLL_MS);
  }
  const fresh = await newestHotSamples(db, at);
  const collected = moved.map((t) => (fresh.get(t)?.oldest ?? NaN) - at);

  const max = (map) => (map.size === moved.length ? Math.max(...map.values()) : NaN);
  return {
    // For the timeline (BENCH_FAILOVER_LOGS): each target's first sample, when it was seen stored.
    seen: { collected: new Map(moved.map((t) => [t, fresh.get(t)?.oldest])), stored: storedAt },
    moved: moved.length,
    recovered: storedAt.size,
    owned_again_s: max(ownedAt) / 1000,
    collected_again_s: Math.max(...collected) / 1000,
    collected_again_p50_s: collected.sort((a, b) => a - b)[Math.floor(collected.length / 2)] / 1000,
    stored_again_s: max(storedAt) / 1000,
  };
}

/**
 * The hot intervals missing around `at` for each moved target: between its last sample before and
 * its first after; and the samples those intervals would have held (the target's hot-loop samples
 * an interval, counted over `before`).
 */
async function missing(db, moved, at, metrics, before) {
  const times = await hotSampleTimes(db, at - 60_000, Date.now());
  const perInterval = await samplesByTarget(db, metrics, before.from, before.to);
  const intervals = (before.to - before.from) / HOT_INTERVAL_MS;
  let missedIntervals = 0;
  let missedSamples = 0;
  let maxGap = 0;
  for (const target of moved) {
    const list = times.get(target) ?? [];
    const last = list.filter((t) => t < at).pop();
    const first = list.find((t) => t >= at);
    if (last === undefined || first === undefined) continue;
    const gap = first - last;
    maxGap = Math.max(maxGap, gap);
    const missed = Math.max(0, Math.round(gap / HOT_INTERVAL_MS) - 1);
    missedIntervals += missed;
    missedSamples += missed * ((perInterval.get(target) ?? 0) / intervals);
  }
  return {
    intervals: missedIntervals,
    intervals_per_target: missedIntervals / moved.length,
    samples: Math.round(missedSamples),
    longest_gap_s: maxGap / 1000,
  };
}

/**
 * Samples of one series less than half an interval apart from `from` to `to`: what two collectors
 * on one target write. Those within an interval (and a second) after a claim of the target are a
 * handover's, not duplicates: the new owner's first cycle falls anywhere in the old one's interval,
 * and it runs one at once when its connection comes up besides its first tick.
 */
async function duplicates(db, from, to) {
  const [times, claims] = await Promise.all([hotSampleTimes(db, from, to), claimTimes(db)]);
  const afterClaim = (target, t) =>
    (claims.get(target) ?? []).some((c) => t >= c - 1000 && t <= c + HOT_INTERVAL_MS + 1000);
  let close = 0;
  const beyond = [];
  for (const [target, list] of times)
    for (let i = 1; i < list.length; i++)
      if (list[i] - list[i - 1] < HOT_INTERVAL_MS / 2) {
        close += 1;
        if (!afterClaim(target, list[i]))
          beyond.push({
            target,
            at: new Date(list[i - 1]).toISOString(),
            apart_ms: list[i] - list[i - 1],
            claims: (claims.get(target) ?? []).map((c) => new Date(c).toISOString()),
          });
      }
  // The first few beyond a handover's, to look into (the replicas' logs, BENCH_FAILOVER_LOGS).
  return { close_pairs: close, duplicates: beyond.length, targets: times.size, beyond: beyond.slice(0, 5) };
}

/**
 * Where the time went, target by target (support/failover-timeline.mjs): the steps' quantiles and
 * the slowest targets; each target up only with BENCH_FAILOVER_LOGS (info logs), and every row
 * written to that folder.
 */
async function timeline({ db, at, moved, replicas, signal, seen }) {
  const rows = failoverTimeline({
    at,
    moved,
    claims: await claimTimes(db),
    collected: seen.collected,
    seen: seen.stored,
    owners: await liveOwners(db),
    replicas,
  });
  if (LOG_DIR) {
    mkdirSync(LOG_DIR, { recursive: true });
    writeFileSync(path.join(LOG_DIR, `timeline-${signal}.json`), JSON.stringify(rows, null, 1));
  }
  return summarizeTimeline(rows);
}

/** One replica leaving (kill -9 or SIGTERM): recovery, missing samples, duplicates, steals. */
async function leave({ db, victim, signal, owners, metrics, steadyFrom, names, replicas }) {
  const moved = names.filter((n) => owners.get(n) === victim.id);
  const at = Date.now();
  victim.told = signal;
  victim.backend.child.kill(signal);
  log(`${signal} to ${victim.name} (${moved.length} targets)`);
  const { seen, ...rec } = await recovery(db, victim, moved, at);
  log(
    `${signal}: ${rec.recovered} of ${moved.length} collected again; ${(AFTER_MS / 1000).toFixed(0)} s more`,
  );
  await sleep(AFTER_MS);
  const miss = await missing(db, moved, at, metrics, { from: steadyFrom, to: at - HOT_INTERVAL_MS });
  const steps = await timeline({ db, at, moved, replicas, signal, seen });
  return {
    signal,
    victim: victim.name,
    ...rec,
    missing: miss,
    moved_targets: moved,
    timeline: steps,
  };
}

/** Times a replica logged that its lease could not be renewed in time (it fell behind its heartbeat). */
/** Replicas that exited without being told to (not the kill's victim): why, from their output. */
const deaths = (replicas) =>
  replicas
    .filter((r) => !r.told && !alive(r))
    .map((r) => {
      const out = r.backend.output();
      const why = /heap out of memory/.test(out)
        ? 'JavaScript heap out of memory'
        : /memory limit|memory\.limit_mb/i.test(out)
          ? 'memory guard exit'
          : `exit ${r.backend.child.exitCode ?? r.backend.child.signalCode}`;
      return `${r.name}: ${why}`;
    });

const leaseLosses = (replicas) =>
  replicas.reduce((n, r) => n + r.backend.lines('the lease could not be renewed in time').length, 0);

/** Why heartbeats failed, by replica: the distinct errors of its "heartbeat failed" warnings. */
const heartbeatErrors = (replicas) =>
  Object.fromEntries(
    replicas.flatMap((r) => {
      const errors = [
        ...new Set(
          r.backend.lines('heartbeat failed').map((l) => /"err":"([^"]{0,160})/.exec(l)?.[1] ?? '?'),
        ),
      ];
      return errors.length > 0 ? [[r.name, errors]] : [];
    }),
  );

/** A replacement replica joins; once it has its share, another replica gets SIGTERM. */
async function replaceAndStop({ db, folder, url, targets, names, replicas, metrics }) {
  const joinAt = Date.now();
  const dir4 = folder.targetsDir('r4');
  folder.writeTargets(targets, dir4);
  replicas.push(await startReplica(folder, url, 'r4', dir4));
  const live = replicas.filter(alive);
  let owners = await settled(db, live, names);
  const rebalanceS = (Date.now() - joinAt) / 1000;
  log(`r4 joined; settled after ${rebalanceS.toFixed(0)} s`);
  const rebalanced = names.filter((n) => owners.get(n) === replicas[3].id).length;
  const termFrom = Date.now();
  await sleep(STEADY_MS);
  owners = await liveOwners(db);
  const stopped = await leave({
    db,
    victim: live[0],
    signal: 'SIGTERM',
    owners,
    metrics,
    steadyFrom: termFrom,
    names,
    replicas,
  });
  return { rebalanceS, rebalanced, stopped, duplicates: await duplicates(db, joinAt, Date.now()) };
}

export async function run({ failoverTargets = 300, fleetPerServer = DATABASES_PER_SERVER, major = 18 } = {}) {
  const fleet = await startFleet({
    targets: failoverTargets,
    perServer: fleetPerServer,
    major,
    label: 'failover.bench',
  });
  const { targets, store, servers, databases, load } = fleet;
  const folder = new FleetFolder();
  const db = storeReader(store, 'pgg_failover');
  const replicas = [];
  try {
    const names = targets.map((t) => t.name);
    const metrics = await loopMetrics(targets[0].dsn);
    const url = await createStoreDatabase(store, 'pgg_failover');
    // The three replicas start together, each configured with the whole fleet (its own targets_dir,
    // for the replacement below): each registers and waits its join window before it claims, so
    // each takes its share at once. The store is migrated first so that every claim is recorded.
    await migrate(db, QUIET);
    await recordOwnerChanges(db);
    const dirs = Array.from({ length: REPLICAS }, (_, i) => folder.targetsDir(`r${i + 1}`));
    for (const dir of dirs) folder.writeTargets(targets, dir);
    const launched = Date.now();
    const starts = await Promise.allSettled(
      dirs.map((dir, i) => startReplica(folder, url, `r${i + 1}`, dir)),
    );
    for (const s of starts) if (s.status === 'fulfilled') replicas.push(s.value);
    const failed = starts.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    let owners = await settled(db, replicas, names);
    const settleS = (Date.now() - launched) / 1000;
    const start = await startClaims(db, names, launched);
    log(
      `${REPLICAS} replicas settled on ${names.length} targets after ${settleS.toFixed(0)} s; ${start.claims} claims, ${start.claimed_twice} targets claimed twice`,
    );
    const firstCyclesS = await firstCyclesOver(db, targets[0].dsn, names, launched);
    log(`workload and storage collected on every target ${firstCyclesS} s after that`);
    const steadyFrom = Date.now();
    await sleep(STEADY_MS);

    // kill -9 of the replica owning the most targets.
    owners = await liveOwners(db);
    const byCount = [...replicas].sort(
      (a, b) =>
        [...owners.values()].filter((o) => o === b.id).length -
        [...owners.values()].filter((o) => o === a.id).length,
    );
    const killed = await leave({
      db,
      victim: byCount[0],
      signal: 'SIGKILL',
      owners,
      metrics,
      steadyFrom,
      names,
      replicas,
    });
    const killDuplicates = await duplicates(db, steadyFrom, Date.now());

    log(
      `kill -9: collected again after ${killed.collected_again_s.toFixed(1)} s, ${killed.missing.intervals} hot intervals missing, ${killDuplicates.duplicates} duplicates; leases lost so far: ${leaseLosses(replicas)}`,
    );

    // A replacement joins (it takes its share from the others' excess), then one replica stops.
    let term;
    try {
      term = await replaceAndStop({ db, folder, url, targets, names, replicas, metrics });
    } catch (error) {
      // What the kill measured stands; say why the rest did not run.
      term = { error: error.message.split('\n')[0].slice(0, 200) };
      log(`replacement and SIGTERM not measured: ${term.error}`);
    }
    const allDuplicates = await duplicates(db, steadyFrom, Date.now());
    return summarize({
      major,
      servers,
      databases,
      load,
      targets: names.length,
      settleS,
      firstCyclesS,
      start,
      killed,
      killDuplicates,
      term,
      allDuplicates,
      lease_losses: leaseLosses(replicas),
      died: deaths(replicas),
      heap_mb: HEAP_MB ?? 'npm start',
      heartbeat_errors: heartbeatErrors(replicas),
      steals: await steals(db),
    });
  } finally {
    await Promise.all(replicas.map((r) => r.backend.stop()));
    if (LOG_DIR) {
      mkdirSync(LOG_DIR, { recursive: true });
      for (const r of replicas) writeFileSync(path.join(LOG_DIR, `${r.name}.log`), r.backend.output());
    }
    await db.end();
    folder.remove();
    await fleet.destroy();
  }
}

function summarize(r) {
  const { moved_targets: _k, ...killed } = r.killed;
  const stopped = r.term.stopped ? (({ moved_targets: _s, ...rest }) => rest)(r.term.stopped) : undefined;
  const term = { ...r.term, ...(stopped ? { stopped } : {}) };
  const dup = r.allDuplicates.duplicates + r.steals;
  const notRun = { value: null, target: `not run: ${term.error}`, status: 'ERROR' };
  return {
    ...r,
    cpus: availableParallelism(),
    killed,
    term,
    figures: [
      {
        name: `started together: every target owned and collected, each replica its share`,
        value: r.settleS,
        unit: 's',
        target: 'information',
      },
      {
        name: `started together: targets claimed twice (started on one replica, handed to another)`,
        value: r.start.claimed_twice,
        target: '0',
        pass: r.start.claimed_twice === 0,
      },
      {
        name: `kill -9: every target collected again, ${killed.moved} of ${r.targets} moved`,
        value: killed.collected_again_s,
        unit: 's',
        target: `<= ${GOALS.recoveryS} s`,
        pass: killed.collected_again_s <= GOALS.recoveryS,
      },
      {
        name: `kill -9: hot intervals missing per moved target (${killed.missing.samples} samples in all)`,
        value: killed.missing.intervals_per_target,
        target: 'information',
      },
      stopped
        ? {
            name: `SIGTERM: every target collected again, ${stopped.moved} moved`,
            value: stopped.collected_again_s,
            unit: 's',
            target: 'information (at once)',
          }
        : { name: 'SIGTERM: every target collected again', ...notRun },
      stopped
        ? {
            name: `SIGTERM: hot intervals missing per moved target (${stopped.missing.samples} samples in all)`,
            value: stopped.missing.intervals_per_target,
            target: 'information',
          }
        : { name: 'SIGTERM: hot intervals missing per moved target', ...notRun },
      {
        name: "duplicates (samples < 2.5 s apart beyond a handover's, steals)",
        value: dup,
        target: '0',
        pass: dup === GOALS.duplicates,
      },
      {
        name: 'leases not renewed in time (a replica behind its heartbeat)',
        value: r.lease_losses,
        target: 'information',
      },
    ],
  };
}

/** The timeline's steps (s after the kill: p0 / p50 / p90 / max) and its slowest targets. */
function timelineText(t) {
  const s = (ms) => (ms / 1000).toFixed(1);
  const steps = Object.entries(t.quantiles)
    .filter(([, q]) => q.n > 0)
    .map(
      ([step, q]) => `    ${step}: ${s(q.p0)} / ${s(q.p50)} / ${s(q.p90)} / ${s(q.max)} s (${q.n} targets)`,
    );
  const slowest = t.slowest.map(
    (r) =>
      `    ${r.target} on ${r.owner}: claimed ${s(r.claimed_ms)}${Number.isFinite(r.up_ms) ? `, up ${s(r.up_ms)}` : ''}, collected ${s(r.collected_ms)}, seen ${s(r.seen_ms)}` +
      (r.activity_failures.length > 0
        ? `; activity failed at ${r.activity_failures.map((f) => `${s(f.at)} (${f.err})`).join(', ')}`
        : ''),
  );
  return [
    `  timeline (p0 / p50 / p90 / max; up: with BENCH_FAILOVER_LOGS; ${t.with_activity_failures} targets whose activity collector failed before their first sample):`,
    ...steps,
    '  slowest (s after it):',
    ...slowest,
  ].join('\n');
}

export function print(r) {
  console.log(
    `\n${REPLICAS} replicas (heap: ${r.heap_mb === 'npm start' ? "npm start's" : `${r.heap_mb} MB`}) on one store, ${r.targets} targets (PostgreSQL ${r.major}: ${r.servers} servers x ${r.databases} databases); ${r.cpus} CPUs, load average ${r.load.toFixed(2)} at the start`,
  );
  console.log(
    `started together on the whole fleet: settled (every target owned and collected, none above its share) ${r.settleS.toFixed(0)} s after the start; ${r.start.claims} claims, ${r.start.claimed_twice} targets claimed twice (started, then handed over); workload and storage collected on every target ${typeof r.firstCyclesS === 'number' ? `${r.firstCyclesS.toFixed(0)} s` : r.firstCyclesS} after that\n`,
  );
  const line = (label, x, dup) =>
    console.log(
      `${label}: ${x.moved} targets moved; live owner again after ${x.owned_again_s.toFixed(1)} s, collected again after ${x.collected_again_s.toFixed(1)} s (p50 ${x.collected_again_p50_s.toFixed(1)} s), seen stored after ${x.stored_again_s.toFixed(1)} s\n` +
        `  missing: ${x.missing.intervals} hot intervals (${x.missing.intervals_per_target.toFixed(2)} a target, longest gap ${x.missing.longest_gap_s.toFixed(1)} s), ${x.missing.samples} samples\n` +
        `  samples < 2.5 s apart: ${dup.close_pairs} (beyond a handover's: ${dup.duplicates})` +
        (dup.beyond.length > 0 ? `\n  beyond a handover's: ${JSON.stringify(dup.beyond)}` : '') +
        (x.timeline ? `\n${timelineText(x.timeline)}` : ''),
    );
  line('kill -9', r.killed, r.killDuplicates);
  if (r.term.stopped) {
    console.log(
      `replacement r4 joined: ${r.term.rebalanced} targets handed to it, settled after ${r.term.rebalanceS.toFixed(0)} s`,
    );
    line('SIGTERM', r.term.stopped, r.term.duplicates);
  } else console.log(`replacement and SIGTERM not measured: ${r.term.error}`);
  console.log(
    `whole run: ${r.allDuplicates.close_pairs} samples < 2.5 s apart on ${r.allDuplicates.targets} targets, ${r.allDuplicates.duplicates} beyond a handover's; ownership taken from a live owner: ${r.steals}; leases not renewed in time: ${r.lease_losses}`,
  );
  if (r.died.length > 0) console.log(`replicas that died on their own: ${r.died.join('; ')}`);
  if (Object.keys(r.heartbeat_errors).length > 0)
    console.log(`heartbeats failed: ${JSON.stringify(r.heartbeat_errors)}`);
  const { figures: _figures, ...json } = r;
  console.log(JSON.stringify({ bench: 'failover', ...json }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  run({
    failoverTargets: Number(process.env.BENCH_FAILOVER_TARGETS ?? 300),
    fleetPerServer: Number(process.env.BENCH_FLEET_PER_SERVER ?? DATABASES_PER_SERVER),
    major: Number(process.env.BENCH_MAJOR ?? 18),
  }).then(print, (error) => {
    console.error(error);
    process.exit(1);
  });
}
