import pino from 'pino';
import { Registry } from 'prom-client';
import { TargetConfig } from '../config/schema';
import { StoredEvent } from '../store/types';
import { ChosenAction } from './decision';
import { SignalExecutor, SignalResult } from './executor';
import { createGovernorMetrics } from './governor-metrics';
import { GovernorLease, LeaseCheck } from './lease';
import { LoopCadence, TargetGovernor } from './target-governor';
import { filler, governorSettings, snapshotOf } from './testing/fake-sessions';
import { GovernorSettings } from '../config/schema';

/** The target governor's orchestration with fakes around it: executor, lease, journal, clock, hot loop. */
class FakeExecutor implements SignalExecutor {
  calls: ChosenAction[] = [];
  outcomes: SignalResult['outcome'][] = [];
  async signal(action: ChosenAction): Promise<SignalResult> {
    this.calls.push(action);
    const outcome = this.outcomes.shift() ?? 'signalled';
    return {
      outcome,
      ms: 1,
      ...(outcome === 'error' ? { error: 'permission denied to terminate process' } : {}),
    };
  }
  warm(): void {}
  async close(): Promise<void> {}
}

class FakeLease implements GovernorLease {
  held = true;
  readonly instance = 'test-instance';
  async check(): Promise<LeaseCheck> {
    return { held: this.held, ...(this.held ? {} : { holder: 'other' }) };
  }
  async close(): Promise<void> {}
}

function setup(overrides: Partial<GovernorSettings> = {}) {
  let now = 1_700_000_000_000;
  const events: StoredEvent[] = [];
  const executor = new FakeExecutor();
  const lease = new FakeLease();
  const registry = new Registry();
  const cadence = { interval: undefined as number | undefined, ticks: [] as number[] };
  const loop: LoopCadence = {
    setCadence: (ms) => (cadence.interval = ms),
    requestTick: (ms) => cadence.ticks.push(ms),
  };
  const target = { name: 'main', governor: governorSettings(overrides) } as TargetConfig;
  const governor = new TargetGovernor(target, {
    executor,
    lease,
    events: { writeEvent: (e) => events.push(e) },
    metrics: createGovernorMetrics(registry),
    log: pino({ level: 'silent' }),
    cadence: () => loop,
    now: () => now,
  });
  const metric = async (name: string) =>
    (await registry.getSingleMetricAsString(name)).split('\n').filter((l) => !l.startsWith('#'));
  return {
    governor,
    events,
    executor,
    lease,
    cadence,
    metric,
    advance: (ms: number) => (now += ms),
    snapshot: (used: number, usable = 20) => snapshotOf(filler(used), usable, now),
  };
}

const kinds = (events: StoredEvent[]) => events.map((e) => `${e.kind}:${e.tags.slice(2).join(',')}`);

it('dry-run journals and counts what it would do, acts on nothing, and raises the hot loop cadence', async () => {
  const t = setup();
  const report = await t.governor.handle(t.snapshot(22));
  expect(report?.decision.chosen).toHaveLength(5);
  expect(t.executor.calls).toEqual([]);
  expect(t.cadence.interval).toBe(1000);
  const decision = t.events.find((e) => e.kind === 'governor_decision' && e.tags.includes('critical'));
  expect(decision?.title).toBe('Governor (dry-run) on main: critical at 110.0 %; would terminate 5');
  expect(decision?.data).toMatchObject({
    mode: 'dry-run',
    level: 'critical',
    used: 22,
    usable: 20,
    candidates: 22,
    need: 6,
    skippedTotal: 1,
  });
  expect(await t.metric('pgg_governor_would_act_total')).toContain(
    'pgg_governor_would_act_total{target="main",action="terminate"} 5',
  );
  expect(await t.metric('pgg_governor_level')).toContain('pgg_governor_level{target="main"} 3');
  // Back below warn: the loop's own interval again, and the level change is journaled.
  t.advance(1000);
  await t.governor.handle(t.snapshot(10));
  expect(t.cadence.interval).toBeUndefined();
  expect(t.events.at(-1)?.title).toBe('Governor (dry-run) on main: normal at 50.0 %');
});

it('enforce acts in the chosen order, journals each result, and looks again soon after', async () => {
  const t = setup();
  t.governor.setMode('enforce', 'test');
  const report = await t.governor.handle(t.snapshot(22));
  expect(t.executor.calls.map((c) => c.pid)).toEqual(report?.decision.chosen.map((c) => c.pid));
  expect(report?.results.map((r) => r.result.outcome)).toEqual(Array(5).fill('signalled'));
  expect(t.events.filter((e) => e.kind === 'intervention')).toHaveLength(5);
  expect(t.events.find((e) => e.kind === 'intervention')?.tags).toEqual([
    'intervention',
    'main',
    'terminate',
    'signalled',
  ]);
  expect(t.cadence.ticks).toEqual([200]);
  expect(await t.metric('pgg_governor_actions_total')).toContain(
    'pgg_governor_actions_total{target="main",action="terminate",result="signalled"} 5',
  );
  // Relieved on the next snapshot: the circuit stays closed.
  t.advance(300);
  const next = await t.governor.handle(t.snapshot(15));
  expect(next?.circuit).toBe('closed');
});

it('opens the circuit after 3 failed interventions, stops acting, probes after the cooldown and closes on relief', async () => {
  const t = setup();
  t.governor.setMode('enforce', 'test');
  t.executor.outcomes = ['error', 'refused', 'error'];
  const report = await t.governor.handle(t.snapshot(22));
  expect(report?.results.map((r) => r.result.outcome)).toEqual(['error', 'refused', 'error']);
  expect(report?.notAttempted.map((n) => n.why)).toEqual(['circuit open', 'circuit open']);
  expect(report?.circuit).toBe('open');
  const opened = t.events.find((e) => e.tags.includes('circuit'));
  expect(opened).toMatchObject({
    severity: 'critical',
    title: 'Governor circuit OPEN on main: no more actions until a human looks',
  });
  expect(await t.metric('pgg_governor_circuit_state')).toContain(
    'pgg_governor_circuit_state{target="main"} 1',
  );

  t.advance(60_000);
  const stopped = await t.governor.handle(t.snapshot(22));
  expect(stopped?.decision.chosen).toEqual([]);
  expect(stopped?.decision.skipped.every((s) => s.why === 'circuit open')).toBe(true);
  expect(t.executor.calls).toHaveLength(3);

  t.advance(300_000);
  const probe = await t.governor.handle(t.snapshot(22));
  expect(probe?.decision.chosen).toHaveLength(1);
  expect(t.executor.calls).toHaveLength(4);
  expect(await t.metric('pgg_governor_circuit_state')).toContain(
    'pgg_governor_circuit_state{target="main"} 2',
  );
  t.advance(300);
  const judged = await t.governor.handle(t.snapshot(19));
  expect(judged?.decision.chosen.length).toBeGreaterThan(0); // closed again: acting
  expect(t.events.filter((e) => e.tags.includes('circuit')).map((e) => e.tags[3])).toEqual([
    'open',
    'half-open',
    'closed',
  ]);
});

it('counts terminations that did not relieve the pressure as failures', async () => {
  const t = setup({ max_actions_per_minute: 1000 });
  t.governor.setMode('enforce', 'test');
  for (let i = 0; i < 3; i++) {
    await t.governor.handle(t.snapshot(22));
    t.advance(300);
  }
  // Clients came back as fast as they were cut: three verdicts "not relieved".
  const last = await t.governor.handle(t.snapshot(22));
  expect(last?.circuit).toBe('open');
  expect(t.events.filter((e) => e.tags.includes('not_relieved'))).toHaveLength(3);
});

it('waits for the terminated backends to exit before judging relief, up to relief_grace_ms', async () => {
  const t = setup({ max_actions_per_minute: 1000, relief_grace_ms: 5000 });
  t.governor.setMode('enforce', 'test');
  const storm = filler(22);
  const acted = await t.governor.handle(snapshotOf(storm, 20, t.advance(0)));
  expect(acted?.results.filter((r) => r.result.outcome === 'signalled')).toHaveLength(5);
  // A loaded server: the signalled backends still show 300 ms later. Too early to judge, and no
  // failure is charged to the circuit meanwhile.
  for (let i = 0; i < 3; i++) {
    t.advance(300);
    await t.governor.handle(snapshotOf(storm, 20, t.advance(0)));
  }
  expect(t.events.filter((e) => e.tags.includes('not_relieved'))).toEqual([]);
  expect(t.governor.status()).toMatchObject({ circuit: 'closed' });
  // Gone at last: 17 left of 22, relieved.
  t.advance(300);
  const after = await t.governor.handle(snapshotOf(storm.slice(5), 20, t.advance(0)));
  expect(after?.circuit).toBe('closed');
  expect(t.events.filter((e) => e.tags.includes('not_relieved'))).toEqual([]);
});

it('judges relief after relief_grace_ms even if a terminated backend is still listed', async () => {
  const t = setup({ max_actions_per_minute: 5, relief_grace_ms: 1000 });
  t.governor.setMode('enforce', 'test');
  const storm = filler(22);
  await t.governor.handle(snapshotOf(storm, 20, t.advance(0)));
  t.advance(1500);
  await t.governor.handle(snapshotOf(storm, 20, t.advance(0)));
  expect(t.events.filter((e) => e.tags.includes('not_relieved'))).toHaveLength(1);
});

it('a standby (lease held elsewhere) decides but neither journals nor acts', async () => {
  const t = setup();
  t.governor.setMode('enforce', 'test');
  t.lease.held = false;
  const report = await t.governor.handle(t.snapshot(22));
  expect(report?.leaseHeld).toBe(false);
  expect(report?.decision.chosen).toHaveLength(5);
  expect(t.executor.calls).toEqual([]);
  expect(kinds(t.events)).toEqual(['governor_decision:mode,enforce', 'governor_decision:lease']);
  expect(t.governor.status()).toMatchObject({ leaseHeld: false, leaseHolder: 'other', level: 'critical' });
  t.lease.held = true;
  await t.governor.handle(t.snapshot(22));
  expect(t.executor.calls).toHaveLength(5);
  expect(t.events.filter((e) => e.tags.includes('lease')).map((e) => e.data?.held)).toEqual([false, true]);
});

it('journals a mode change with who and when; leaving dry-run forgets what it only simulated', async () => {
  const t = setup({ max_actions_per_minute: 5 });
  await t.governor.handle(t.snapshot(22)); // dry-run: 5 would-acts fill the minute
  t.advance(1000);
  expect((await t.governor.handle(t.snapshot(22)))?.decision.chosen).toEqual([]);
  const change = t.governor.setMode('enforce', 'alice via admin token sha256:12345678');
  expect(change).toMatchObject({ target: 'main', mode: 'enforce', previous: 'dry-run', changed: true });
  const event = t.events.find((e) => e.tags.includes('mode'));
  expect(event?.title).toBe(
    'Governor mode on main: dry-run -> enforce (by alice via admin token sha256:12345678)',
  );
  expect(event?.data).toMatchObject({
    who: 'alice via admin token sha256:12345678',
    previous: 'dry-run',
    mode: 'enforce',
  });
  t.advance(1000);
  expect((await t.governor.handle(t.snapshot(22)))?.decision.chosen).toHaveLength(5);
  expect(t.governor.setMode('enforce', 'again').changed).toBe(false);
});

it('observe journals levels only, never choices, and leaves the hot loop alone', async () => {
  const t = setup({ mode: 'observe' });
  await t.governor.handle(t.snapshot(22));
  expect(t.cadence.interval).toBeUndefined();
  const decision = t.events.find((e) => e.kind === 'governor_decision' && !e.tags.includes('lease'));
  expect(decision?.title).toBe('Governor (observe) on main: critical at 110.0 %');
  expect(decision?.data).toMatchObject({ chosen: [], skipped: [] });
  expect((await t.metric('pgg_governor_would_act_total')).filter((l) => l !== '')).toEqual([]);
});

it('skips a snapshot that arrives while the previous decision is still being carried out', async () => {
  const t = setup();
  t.governor.setMode('enforce', 'test');
  let release: () => void = () => undefined;
  const slow = t.executor.signal.bind(t.executor);
  t.executor.signal = async (action) => {
    await new Promise<void>((r) => (release = r));
    return slow(action);
  };
  const first = t.governor.handle(t.snapshot(22));
  await new Promise((r) => setImmediate(r));
  expect(await t.governor.handle(t.snapshot(22))).toBeUndefined();
  t.executor.signal = slow;
  release();
  await first;
  expect(await t.metric('pgg_governor_skipped_cycles_total')).toContain(
    'pgg_governor_skipped_cycles_total{target="main"} 1',
  );
});
