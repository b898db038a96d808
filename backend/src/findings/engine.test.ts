import pino from 'pino';
import { Registry } from 'prom-client';
import { FindingKind, rowCounterMetric } from '../catalog/findings';
import { LatestObservations } from '../collectors/latest-observations';
import { Observation } from '../collectors/types';
import { CollectorStatus } from '../scheduler/loop-runner';
import { StoredEvent } from '../store/types';
import { FindingsEngine } from './engine';
import { Check } from './types';

const KIND: FindingKind = {
  id: 'big_tables',
  title: 'Big table',
  category: 'vacuum',
  description: 'test',
  severity: 'warning',
  inputs: [{ collector: 'relations' }],
  params: { min_rows: { default: 100, unit: 'count', description: 'rows' } },
  anchors: 'test',
  runbook: 'docs/runbooks/findings/big_tables.md',
  guide: { meaning: 'test', checks: [], remediation: [] },
};

const bigTables: Check = ({ rows, params }) =>
  rows('storage')
    .filter((r) => (r.live_tuples as number) >= (params.min_rows as number))
    .map((r) => ({
      object: { type: 'relation', name: String(r.relname), database: 'shop' },
      severity: 'warning',
      title: `${r.relname} is big`,
      detail: '',
      evidence: [r],
      remediation: { statements: [], steps: [] },
    }));

function setup(
  options: {
    config?: Record<string, Record<string, number | boolean | string[]>>;
    check?: Check;
    kind?: FindingKind;
  } = {},
) {
  const latest = new LatestObservations();
  const statuses = new Map<string, CollectorStatus>();
  const events: StoredEvent[] = [];
  const registry = new Registry();
  const engine = new FindingsEngine({
    kinds: [options.kind ?? KIND],
    checks: { big_tables: options.check ?? bigTables },
    config: (options.config ?? {}) as never,
    latest,
    collectorStatus: (target, collector) => statuses.get(`${target}/${collector}`),
    targets: () => ['db1'],
    events: { writeEvent: (e) => events.push(e) },
    registry,
    log: pino({ level: 'silent' }),
  });
  const observe = (time: number, rows: Record<string, number | string>[]) => {
    const observation: Observation = {
      target: 'db1',
      collector: 'relations',
      loop: 'storage',
      time,
      samples: [],
      snapshots: [{ kind: 'storage', rows }],
    };
    latest.record(observation);
    statuses.set('db1/relations', { name: 'relations', state: 'ok', lastSuccessAt: time });
    engine.consume(observation);
  };
  return { engine, latest, statuses, events, observe, registry };
}

describe('FindingsEngine', () => {
  it('is pending before its input is observed, then opens and resolves findings as events', async () => {
    const { engine, events, observe, registry } = setup();
    expect(engine.checks()).toEqual([{ target: 'db1', kind: 'big_tables', state: 'pending', open: 0 }]);

    observe(1000, [
      { relname: 'orders', live_tuples: 500 },
      { relname: 'tiny', live_tuples: 1 },
    ]);
    expect(engine.findings().map((f) => [f.object.name, f.state, f.firstSeen])).toEqual([
      ['orders', 'open', 1000],
    ]);
    expect(engine.checks()[0]).toMatchObject({ state: 'ok', lastRunAt: 1000, open: 1 });
    expect(events.map((e) => [e.kind, e.tags.slice(0, 2), e.target])).toEqual([
      ['finding', ['finding', 'new'], 'db1'],
    ]);
    expect(await registry.getSingleMetricAsString('pgg_findings_open')).toContain(
      'pgg_findings_open{target="db1",kind="big_tables",severity="warning"} 1',
    );

    observe(2000, [{ relname: 'orders', live_tuples: 50 }]);
    expect(engine.findings().map((f) => [f.state, f.resolvedAt])).toEqual([['resolved', 2000]]);
    expect(events.at(-1)?.tags.slice(0, 2)).toEqual(['finding', 'resolved']);
    expect(engine.findings({ state: ['open'] })).toEqual([]);
  });

  it('forgets a target that stopped here: no findings, no open series, no resolved event', async () => {
    const { engine, events, observe, registry } = setup();
    observe(1000, [{ relname: 'orders', live_tuples: 500 }]);
    expect(engine.findings()).toHaveLength(1);
    engine.forget('db1');
    expect(engine.findings()).toEqual([]);
    expect(await registry.getSingleMetricAsString('pgg_findings_open')).not.toContain('db1');
    expect(events.map((e) => e.tags[1])).toEqual(['new']);
    // Collected here again later: the condition is found anew.
    observe(2000, [{ relname: 'orders', live_tuples: 500 }]);
    expect(engine.findings().map((f) => f.firstSeen)).toEqual([2000]);
  });

  it('raises nothing on the objects its ignore list names (by name or database/name), and counts them', () => {
    const before = setup();
    before.observe(1000, [{ relname: 'report_cache', live_tuples: 500 }]);
    expect(before.engine.findings().map((f) => f.state)).toEqual(['open']);

    const { engine, events, observe } = setup({
      config: { big_tables: { enabled: true, min_rows: 100, ignore: ['report_*', 'other_db/orders'] } },
    });
    observe(1000, [
      { relname: 'report_cache', live_tuples: 500 },
      { relname: 'report_2024', live_tuples: 900 },
      // orders is in database shop: the other database's pattern does not reach it
      { relname: 'orders', live_tuples: 500 },
    ]);
    expect(engine.findings().map((f) => f.object.name)).toEqual(['orders']);
    expect(engine.checks()[0]).toMatchObject({ state: 'ok', open: 1, ignored: 2 });
    expect(events.map((e) => e.tags[1])).toEqual(['new']);

    const database = setup({
      config: { big_tables: { enabled: true, min_rows: 100, ignore: ['shop/orders'] } },
    });
    database.observe(1000, [{ relname: 'orders', live_tuples: 500 }]);
    expect(database.engine.findings()).toEqual([]);
    expect(database.engine.checks()[0]).toMatchObject({ open: 0, ignored: 1 });
  });

  it('takes its thresholds from the configuration, and a disabled kind runs nothing', () => {
    const strict = setup({ config: { big_tables: { enabled: true, min_rows: 10 } } });
    strict.observe(1000, [{ relname: 'small', live_tuples: 20 }]);
    expect(strict.engine.findings()).toHaveLength(1);

    const off = setup({ config: { big_tables: { enabled: false } } });
    off.observe(1000, [{ relname: 'orders', live_tuples: 500 }]);
    expect(off.engine.findings()).toEqual([]);
    expect(off.engine.checks()[0]?.state).toBe('disabled');
  });

  it('reports a check that throws as failed and keeps its findings', () => {
    let broken = false;
    const { engine, observe, events } = setup({
      check: (input) => {
        if (broken) throw new Error('boom');
        return bigTables(input);
      },
    });
    observe(1000, [{ relname: 'orders', live_tuples: 500 }]);
    broken = true;
    observe(2000, [{ relname: 'orders', live_tuples: 1 }]);
    expect(engine.checks()[0]).toMatchObject({ state: 'failed', error: 'check failed: boom', open: 1 });
    expect(engine.findings().map((f) => f.state)).toEqual(['open']);
    expect(events).toHaveLength(1);
  });

  it('reports a failing input collector as a failed check, not as no findings', () => {
    const { engine, observe, statuses, latest } = setup();
    observe(1000, [{ relname: 'orders', live_tuples: 500 }]);
    statuses.set('db1/relations', { name: 'relations', state: 'failing', error: 'permission denied' });
    latest.forget('db1', 'relations');
    expect(engine.checks()[0]).toMatchObject({
      state: 'failed',
      error: 'collector relations failing: permission denied',
      open: 1,
    });
    statuses.set('db1/relations', { name: 'relations', state: 'skipped' });
    expect(engine.checks()[0]?.state).toBe('skipped');
  });

  it('keeps counters of snapshot rows per row key, for the window its check reads them over', () => {
    const seen: number[][] = [];
    const { observe } = setup({
      kind: {
        ...KIND,
        rowCounters: { snapshot: 'storage', key: ['relname'], columns: ['live_tuples'] },
        params: { window_s: { default: 60, unit: 'seconds', description: 'window' } },
      },
      check: ({ increase }) => {
        seen.push(increase(rowCounterMetric('storage', 'live_tuples'), 60_000).map((i) => i.increase));
        return [];
      },
    });
    for (const [time, tuples] of [
      [0, 10],
      [30_000, 25],
      [90_000, 40],
    ] as const)
      observe(time, [{ relname: 'orders', live_tuples: tuples }]);
    // The last window of 60 s starts at the point of 30 s: 40 - 25.
    expect(seen).toEqual([[0], [15], [15]]);
  });

  it('carries on adopted findings: no new event while found, resolved when not, pending until it runs', () => {
    const before = setup();
    before.observe(1000, [
      { relname: 'orders', live_tuples: 500 },
      { relname: 'lines', live_tuples: 900 },
    ]);
    const held = before.engine.findings();

    const after = setup();
    after.engine.adopt('db1', [...held, { ...held[0]!, target: 'db2' }], 2000);
    expect(after.engine.findings().map((r) => r.id)).toEqual(held.map((r) => r.id));
    expect(after.engine.checks()).toEqual([{ target: 'db1', kind: 'big_tables', state: 'pending', open: 2 }]);

    after.observe(3000, [{ relname: 'orders', live_tuples: 600 }]);
    const orders = held.find((r) => r.object.name === 'orders');
    expect(after.engine.findings({ state: ['open'] })).toEqual([
      expect.objectContaining({ id: orders?.id, firstSeen: 1000, lastSeen: 3000 }),
    ]);
    expect(after.events.map((e) => [e.data?.state, (e.data?.object as { name: string }).name])).toEqual([
      ['resolved', 'lines'],
    ]);
    // A target that has findings here keeps its own.
    after.engine.adopt('db1', [], 4000);
    expect(after.engine.findings({ state: ['open'] })).toHaveLength(1);
  });

  it('adopts nothing of a disabled kind, nor a resolved finding past its keep time', () => {
    const before = setup();
    before.observe(1000, [{ relname: 'orders', live_tuples: 500 }]);
    before.observe(2000, []);
    const [resolved] = before.engine.findings();
    expect(resolved?.state).toBe('resolved');

    const later = setup();
    later.engine.adopt('db1', [resolved!], 2000 + 25 * 3600_000);
    expect(later.engine.findings()).toEqual([]);
    const disabled = setup({ config: { big_tables: { enabled: false } } });
    disabled.engine.adopt('db1', [resolved!], 3000);
    expect(disabled.engine.findings()).toEqual([]);
  });
});
