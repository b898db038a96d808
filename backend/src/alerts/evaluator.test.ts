import { AlertState, evaluateAlerts, evaluateAlertsInTurns, NO_WINDOWS, Transition } from './evaluator';
import { Series } from './expr/vector';
import { effectiveRules } from './rules';

const rules = effectiveRules({
  connection_saturation: { warning: { for_s: 120 }, critical: { for_s: 60 } },
}).filter((r) => r.definition.id === 'connection_saturation' || r.definition.id === 'long_transaction');

function run(steps: { at: number; usage?: Record<string, number> }[]) {
  let state: AlertState = new Map();
  const transitions: Transition[] = [];
  let last;
  for (const { at, usage = {} } of steps) {
    const samples = new Map<string, Series[]>([
      [
        'pg_connection_usage_ratio',
        Object.entries(usage).map(([target, value]) => ({ labels: { target, job: 'pgg' }, value })),
      ],
    ]);
    last = evaluateAlerts({ rules, samples, windows: NO_WINDOWS, state, now: at * 1000 });
    state = last.state;
    transitions.push(...last.transitions);
  }
  return { transitions, last: last as ReturnType<typeof evaluateAlerts> };
}

const brief = (t: Transition) => [t.at / 1000, t.to, t.severity, t.previousSeverity ?? null];

describe('evaluateAlerts', () => {
  it('goes pending, then firing after `for`, then resolved', () => {
    const { transitions } = run([
      { at: 0, usage: { main: 0.85 } },
      { at: 60, usage: { main: 0.85 } },
      { at: 120, usage: { main: 0.85 } },
      { at: 180, usage: { main: 0.85 } },
      { at: 240, usage: { main: 0.5 } },
    ]);
    expect(transitions.map(brief)).toEqual([
      [0, 'pending', 'warning', null],
      [120, 'firing', 'warning', null],
      [240, 'resolved', 'warning', null],
    ]);
  });

  it('forgets a pending alert that clears before `for`, without a resolved transition', () => {
    const { transitions, last } = run([
      { at: 0, usage: { main: 0.85 } },
      { at: 60, usage: { main: 0.5 } },
    ]);
    expect(transitions.map(brief)).toEqual([[0, 'pending', 'warning', null]]);
    expect(last.active).toEqual([]);
  });

  it('escalates and de-escalates one instance (one dedupe key), each level with its own `for`', () => {
    const { transitions, last } = run([
      { at: 0, usage: { main: 0.85 } },
      { at: 120, usage: { main: 0.97 } },
      { at: 180, usage: { main: 0.97 } },
      { at: 240, usage: { main: 0.85 } },
    ]);
    expect(transitions.map(brief)).toEqual([
      [0, 'pending', 'warning', null],
      [120, 'firing', 'warning', null],
      [180, 'firing', 'critical', 'warning'],
      [240, 'firing', 'warning', 'critical'],
    ]);
    expect(last.active).toHaveLength(1);
    expect(last.active[0]).toMatchObject({
      key: 'PgConnectionSaturation{target="main"}',
      state: 'firing',
      severity: 'warning',
      value: 0.85,
      threshold: 0.8,
      activeAt: 0,
      firingSince: 240_000,
      labels: {
        alertname: 'PgConnectionSaturation',
        severity: 'warning',
        target: 'main',
        category: 'connections',
        component: 'postgresql',
        pgg_alert: 'connection_saturation',
      },
    });
    expect(last.active[0]?.summary).toBe('Connections on main at 85% of the usable maximum');
  });

  it('keeps targets apart and resolves an instance whose series vanished', () => {
    const { transitions, last } = run([
      { at: 0, usage: { a: 0.99, b: 0.99 } },
      { at: 120, usage: { a: 0.99, b: 0.99 } },
      { at: 180, usage: { a: 0.99 } },
    ]);
    expect(transitions.filter((t) => t.to === 'resolved').map((t) => t.key)).toEqual([
      'PgConnectionSaturation{target="b"}',
    ]);
    expect(last.active.map((a) => a.key)).toEqual(['PgConnectionSaturation{target="a"}']);
  });

  it('skips disabled rules and reports a rule it cannot evaluate without stopping the others', () => {
    const broken = {
      ...rules[0],
      definition: { ...rules[0]!.definition, id: 'broken', name: 'Broken' },
    } as (typeof rules)[number];
    const samples = new Map<string, Series[]>([
      ['pg_connection_usage_ratio', [{ labels: { target: 'main' }, value: 0.99 }]],
      ['pg_oldest_transaction_seconds', [{ labels: { target: 'main', datname: 'app' }, value: 4000 }]],
    ]);
    const failing = {
      ...broken,
      value: {
        kind: 'arithmetic' as const,
        op: '/' as const,
        lhs: broken.value,
        rhs: { kind: 'selector' as const, metric: 'x', matchers: [] },
        on: [],
      },
    };
    const twoX = new Map(samples).set('x', [
      { labels: { a: '1' }, value: 1 },
      { labels: { a: '2' }, value: 1 },
    ]);
    const result = evaluateAlerts({
      rules: [failing, { ...rules[0]!, enabled: false }, rules[1]!],
      samples: twoX,
      windows: NO_WINDOWS,
      state: new Map(),
      now: 0,
    });
    expect(result.errors).toEqual([
      { alertId: 'broken', message: expect.stringContaining('several series') },
    ]);
    expect(result.active.map((a) => [a.alertname, a.state, a.severity])).toEqual([
      ['PgLongTransaction', 'firing', 'critical'],
    ]);
  });

  it('gives the same result in turns, pausing after each enabled rule', async () => {
    const samples = new Map<string, Series[]>([
      ['pg_connection_usage_ratio', [{ labels: { target: 'main', job: 'pgg' }, value: 0.97 }]],
    ]);
    const first = evaluateAlerts({ rules, samples, windows: NO_WINDOWS, state: new Map(), now: 0 });
    const input = { rules, samples, windows: NO_WINDOWS, state: first.state, now: 120_000 };
    let pauses = 0;
    const inTurns = await evaluateAlertsInTurns(input, async () => {
      pauses += 1;
    });
    expect(inTurns).toEqual(evaluateAlerts(input));
    expect(inTurns.transitions.length).toBeGreaterThan(0);
    expect(pauses).toBe(rules.filter((r) => r.enabled).length);
  });
});
