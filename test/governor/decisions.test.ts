import pino from 'pino';
import { Registry } from 'prom-client';
import { activityCollector } from '../../backend/src/collectors/activity';
import { Observation } from '../../backend/src/collectors/types';
import { loadConfig, targetWithDefaults } from '../../backend/src/config/load';
import { GovernorMode, TargetConfig } from '../../backend/src/config/schema';
import { Governor } from '../../backend/src/governor/governor';
import { SoloLease } from '../../backend/src/governor/lease';
import { StoredEvent } from '../../backend/src/store/types';
import { collectOnce } from '../support/collect';
import { forEachMajor, startPostgres, TestPostgres } from '../support/postgres';
import {
  EXPECTED_VICTIMS,
  governorUrl,
  livePids,
  MAX_CONNECTIONS,
  monitorUrl,
  nonClientPids,
  Population,
  prepareTarget,
  PROTECTED,
  PROTECTED_COUNT,
  standardPopulation,
  USABLE,
  waitForSessionOf,
  waitUntilGone,
} from './governor-kit';

/**
 * The governor on a real server, fed the real activity collector's observations (what the hot loop
 * publishes on the bus): a full server is brought below the optimize threshold in the stated
 * priority, protected sessions are never touched, dry-run journals exactly what enforce then does,
 * a reused pid is never signalled, and the circuit opens after 3 failed interventions.
 */
jest.setTimeout(120_000);

const TARGET = 'test';

/** Sessions the test opens: with the collector's and the governor's connections, the server is full. */
const ACTIVE = USABLE - 2 - PROTECTED_COUNT - 4;

interface Harness {
  governor: Governor;
  events: StoredEvent[];
  registry: Registry;
}

function harness(pg: TestPostgres, mode: GovernorMode, governorRole = 'pgg_governor'): Harness {
  const { config } = loadConfig({ env: {} });
  const target: TargetConfig = targetWithDefaults(config, {
    name: TARGET,
    dsn: monitorUrl(pg),
    governorDsn: governorUrl(pg, governorRole),
  });
  target.governor = { ...target.governor, mode, protected: PROTECTED };
  const events: StoredEvent[] = [];
  const registry = new Registry();
  const governor = new Governor({
    targets: [target],
    events: { writeEvent: (event) => events.push(event) },
    registry,
    log: pino({ level: 'silent' }),
    lease: new SoloLease('test-instance'),
  });
  return { governor, events, registry };
}

/** One hot-loop activity observation, taken by the real collector with the monitor role. */
async function observe(pg: TestPostgres): Promise<Observation> {
  const result = await collectOnce(monitorUrl(pg), activityCollector);
  return {
    target: TARGET,
    collector: 'activity',
    loop: 'hot',
    time: Date.now(),
    samples: result.samples,
    snapshots: result.snapshots ?? [],
  };
}

const usageOf = (o: Observation) => o.samples.find((s) => s.metric === 'pg_connection_usage_ratio')?.value;
const usedOf = (o: Observation) => o.samples.find((s) => s.metric === 'pg_connections_used')?.value;

async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = (
    metric?.values as { value: number; labels: Record<string, string | number> }[] | undefined
  )?.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return value?.value ?? Number.NaN;
}

forEachMajor((major) => {
  let pg: TestPostgres;
  let population: Population | undefined;
  let governors: Governor[] = [];

  beforeAll(async () => {
    pg = await startPostgres({ major, maxConnections: MAX_CONNECTIONS });
    await prepareTarget(pg);
  });

  afterEach(async () => {
    await Promise.all(governors.map((g) => g.stop()));
    governors = [];
    await population?.close(pg);
    population = undefined;
  });

  afterAll(async () => {
    await pg?.destroy();
  });

  /** A started governor whose connection is open (it holds one of the server's slots, as in production). */
  async function started(mode: GovernorMode, role = 'pgg_governor'): Promise<Harness> {
    const h = harness(pg, mode, role);
    governors.push(h.governor);
    h.governor.start();
    await waitForSessionOf(pg, role);
    return h;
  }

  /** The standard population on a full server, checked to be full as the collector sees it. */
  async function saturate(): Promise<Observation> {
    population = await Population.open(pg, standardPopulation(ACTIVE));
    const observation = await observe(pg);
    expect(usedOf(observation)).toBe(USABLE);
    expect(usageOf(observation)).toBe(1);
    return observation;
  }

  it('enforce: brings a full server below optimize, idle first, then idle in transaction, then active; never a protected session', async () => {
    const { governor, events, registry } = await started('enforce');
    const observation = await saturate();
    const nonClients = await nonClientPids(pg);
    expect(nonClients.length).toBeGreaterThan(0);
    const pop = population as Population;

    const report = await governor.handle(observation);
    expect(report?.mode).toBe('enforce');
    expect(report?.decision.level).toBe('critical');
    // Usable 27, below 0.85 means at most 22 client backends: 5 must go, at most 5 a cycle.
    expect(report?.decision.need).toBe(5);
    expect(report?.results.map((r) => pop.labelOf(r.action.pid))).toEqual(EXPECTED_VICTIMS);
    expect(report?.results.map((r) => r.result.outcome)).toEqual(Array(5).fill('signalled'));
    expect(report?.results.map((r) => r.action.rule)).toEqual(Array(5).fill('shed_load'));
    const skipped = new Set(report?.decision.skipped.map((s) => pop.labelOf(s.pid)));
    for (const s of pop.sessions.slice(0, PROTECTED_COUNT)) expect(skipped).toContain(s.label);

    const victims = EXPECTED_VICTIMS.map((label) => pop.byLabel(label).pid);
    await waitUntilGone(pg, victims);
    const after = await observe(pg);
    expect(usageOf(after)).toBeLessThan(0.85);
    const live = await livePids(pg);
    for (const s of pop.sessions.filter((s) => !EXPECTED_VICTIMS.includes(s.label)))
      expect([s.label, live.has(s.pid)]).toEqual([s.label, true]);
    for (const pid of nonClients) expect(live.has(pid)).toBe(true);

    // Below optimize: the next cycle does nothing, and judges the terminations a relief.
    const calm = await governor.handle(after);
    expect(calm?.decision.level).not.toBe('critical');
    expect(calm?.decision.chosen).toEqual([]);
    expect(calm?.circuit).toBe('closed');

    const interventions = events.filter((e) => e.kind === 'intervention');
    expect(interventions.map((e) => e.data?.pid)).toEqual(victims);
    expect(interventions.every((e) => e.data?.result === 'signalled')).toBe(true);
    expect(
      await metricValue(registry, 'pgg_governor_actions_total', {
        target: TARGET,
        action: 'terminate',
        result: 'signalled',
      }),
    ).toBe(5);
    expect(await metricValue(registry, 'pgg_governor_level', { target: TARGET })).toBeLessThan(3);
  });

  it('dry-run: terminates nothing and journals exactly what enforce then does on the same snapshot', async () => {
    const { governor, events, registry } = await started('dry-run');
    const observation = await saturate();
    const pop = population as Population;

    const dry = await governor.handle(observation);
    expect(dry?.mode).toBe('dry-run');
    expect(dry?.results).toEqual([]);
    const journaled = events.find((e) => e.kind === 'governor_decision' && e.data?.mode === 'dry-run');
    const wouldDo = (journaled?.data?.chosen as { pid: number; backendStartUs: string }[]).map((c) => [
      c.pid,
      c.backendStartUs,
    ]);
    expect(wouldDo.map(([pid]) => pop.labelOf(pid as number))).toEqual(EXPECTED_VICTIMS);
    expect(
      await metricValue(registry, 'pgg_governor_would_act_total', { target: TARGET, action: 'terminate' }),
    ).toBe(5);
    // Nothing was signalled: every backend is still there a moment later.
    await new Promise((r) => setTimeout(r, 300));
    const live = await livePids(pg);
    for (const s of pop.sessions) expect(live.has(s.pid)).toBe(true);
    expect(
      await metricValue(registry, 'pgg_governor_actions_total', {
        target: TARGET,
        action: 'terminate',
        result: 'signalled',
      }),
    ).toBeNaN();

    expect(governor.setMode(TARGET, 'enforce', 'the test')?.changed).toBe(true);
    const enforced = await governor.handle(observation);
    const done = enforced?.results
      .filter((r) => r.result.outcome === 'signalled')
      .map((r) => [r.action.pid, r.action.backendStartUs]);
    expect(done).toEqual(wouldDo);
    await waitUntilGone(pg, done?.map(([pid]) => pid as number) ?? []);
  });

  it('never signals a reused pid: a changed backend_start, or a session gone, is not re-verified', async () => {
    const { governor, events } = await started('enforce');
    const observation = await saturate();
    const pop = population as Population;
    const reused = pop.byLabel('idle 1');
    const gone = pop.byLabel('idle 2');
    // The snapshot saw another backend under idle 1's pid (its start one microsecond earlier).
    const rows = observation.snapshots.find((s) => s.kind === 'sessions')?.rows ?? [];
    const row = rows.find((r) => r.pid === reused.pid);
    expect(row).toBeDefined();
    if (row) row.backend_start_us = String(BigInt(String(row.backend_start_us)) - 1n);
    // And idle 2 disconnected after the snapshot was taken.
    await gone.client.end();
    await waitUntilGone(pg, [gone.pid]);

    const report = await governor.handle(observation);
    const outcomes = Object.fromEntries(
      report?.results.map((r) => [pop.labelOf(r.action.pid), r.result.outcome]) ?? [],
    );
    expect(outcomes).toEqual({
      'idle 1': 'not_reverified',
      'idle 2': 'not_reverified',
      'idle in transaction 1': 'signalled',
      'idle in transaction 2': 'signalled',
      'active 1': 'signalled',
    });
    await waitUntilGone(
      pg,
      ['idle in transaction 1', 'idle in transaction 2', 'active 1'].map((l) => pop.byLabel(l).pid),
    );
    expect((await livePids(pg)).has(reused.pid)).toBe(true);
    expect(report?.circuit).toBe('closed');
    const notReverified = events.filter(
      (e) => e.kind === 'intervention' && e.data?.result === 'not_reverified',
    );
    expect(notReverified.map((e) => e.data?.pid)).toEqual([reused.pid, gone.pid]);
  });

  it('opens the circuit after 3 failed interventions (no pg_signal_backend) and then stops acting', async () => {
    const { governor, events, registry } = await started('enforce', 'weak_governor');
    const observation = await saturate();
    const pop = population as Population;

    const first = await governor.handle(observation);
    expect(first?.results.map((r) => r.result.outcome)).toEqual(['error', 'error', 'error']);
    expect(first?.results[0]?.result.error).toMatch(/permission denied|must be a (member|superuser)/i);
    expect(first?.notAttempted.map((n) => n.why)).toEqual(['circuit open', 'circuit open']);
    expect(first?.circuit).toBe('open');
    const opened = events.filter((e) => e.data?.circuit === 'open');
    expect(opened).toHaveLength(1);
    expect(opened[0]?.severity).toBe('critical');
    expect(opened[0]?.data?.failures).toBe(3);
    expect(await metricValue(registry, 'pgg_governor_circuit_state', { target: TARGET })).toBe(1);
    expect(
      await metricValue(registry, 'pgg_governor_actions_total', {
        target: TARGET,
        action: 'terminate',
        result: 'error',
      }),
    ).toBe(3);

    // Still full; the circuit stays open: nothing is attempted.
    const second = await governor.handle(await observe(pg));
    expect(second?.decision.level).toBe('critical');
    expect(second?.decision.chosen).toEqual([]);
    expect(second?.decision.skipped.some((s) => s.why === 'circuit open')).toBe(true);
    expect(second?.results).toEqual([]);
    expect(
      await metricValue(registry, 'pgg_governor_actions_total', {
        target: TARGET,
        action: 'terminate',
        result: 'error',
      }),
    ).toBe(3);
    const live = await livePids(pg);
    for (const s of pop.sessions) expect(live.has(s.pid)).toBe(true);
    expect(governor.status()[0]?.circuit).toBe('open');
  });
});
