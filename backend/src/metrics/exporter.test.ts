import { Gauge, Registry } from 'prom-client';
import { CollectorDefinition } from '../catalog/types';
import { statementsDefinition } from '../catalog/collectors/statements';
import { LatestObservations } from '../collectors/latest-observations';
import { Sample } from '../collectors/types';
import { CatalogExporter, MAX_SERIES_PER_TARGET_FAMILY } from './exporter';

const WIDGETS: CollectorDefinition = {
  name: 'widgets',
  loop: 'hot',
  description: 'test collector',
  queries: [],
  metrics: [
    { name: 'pg_widgets', help: 'Widgets', type: 'gauge', unit: 'short', labels: ['datname'] },
    { name: 'pg_widget_turns_total', help: 'Widget turns', type: 'counter', unit: 'short', labels: [] },
  ],
};

function setup(collectors: CollectorDefinition[] = [WIDGETS], statementsTopN = 20) {
  const registry = new Registry();
  const latest = new LatestObservations();
  const exporter = new CatalogExporter(registry, collectors, latest, { statementsTopN });
  const record = (target: string, samples: Sample[], collector = 'widgets') =>
    latest.record({ target, collector, loop: 'hot', time: 1, samples, snapshots: [] });
  return { registry, latest, exporter, record };
}

/** The sample lines of one family in the exposition text. */
const linesOf = (text: string, name: string) =>
  text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));

/** pgg_exporter_series_dropped_total by reason, for one family. */
async function droppedOf(registry: Registry, metric: string): Promise<Record<string, number>> {
  const family = (await registry.getMetricsAsJSON()).find(
    (m) => m.name === 'pgg_exporter_series_dropped_total',
  );
  const out: Record<string, number> = {};
  for (const { labels, value } of family?.values ?? [])
    if (labels.metric === metric) out[String(labels.reason)] = value;
  return out;
}

describe('catalog exporter over the latest observations', () => {
  it('serves each family with the target label added, at scrape time', async () => {
    const { exporter, record } = setup();
    record('alpha', [
      { metric: 'pg_widgets', labels: { datname: 'app' }, value: 3 },
      { metric: 'pg_widget_turns_total', labels: {}, value: 42 },
    ]);
    record('beta', [{ metric: 'pg_widgets', labels: { datname: 'app' }, value: 5.5 }]);
    const text = await exporter.text();
    expect(text).toContain('# HELP pg_widgets Widgets (short)\n# TYPE pg_widgets gauge\n');
    expect(text).toContain('# TYPE pg_widget_turns_total counter\n');
    expect(linesOf(text, 'pg_widgets')).toEqual([
      'pg_widgets{target="alpha",datname="app"} 3',
      'pg_widgets{target="beta",datname="app"} 5.5',
    ]);
    expect(linesOf(text, 'pg_widget_turns_total')).toEqual(['pg_widget_turns_total{target="alpha"} 42']);
    expect(exporter.series('pg_widgets')).toEqual([
      { labels: { target: 'alpha', datname: 'app' }, value: 3 },
      { labels: { target: 'beta', datname: 'app' }, value: 5.5 },
    ]);
    expect(exporter.series('pgg_something_else')).toBeUndefined();
    expect(exporter.familyNames()).toEqual(['pg_widgets', 'pg_widget_turns_total']);
  });

  it('drops the series of a forgotten observation instead of serving it stale', async () => {
    const { exporter, latest, record } = setup();
    record('alpha', [{ metric: 'pg_widgets', labels: { datname: 'app' }, value: 3 }]);
    expect(linesOf(await exporter.text(), 'pg_widgets')).toHaveLength(1);
    latest.forget('alpha', 'widgets');
    expect(linesOf(await exporter.text(), 'pg_widgets')).toEqual([]);
  });

  it('replaces the previous cycle: objects gone from the newest observation are gone', async () => {
    const { exporter, record } = setup();
    record('alpha', [
      { metric: 'pg_widgets', labels: { datname: 'app' }, value: 1 },
      { metric: 'pg_widgets', labels: { datname: 'old' }, value: 1 },
    ]);
    record('alpha', [{ metric: 'pg_widgets', labels: { datname: 'app' }, value: 2 }]);
    expect(linesOf(await exporter.text(), 'pg_widgets')).toEqual([
      'pg_widgets{target="alpha",datname="app"} 2',
    ]);
  });

  it('skips values that are not finite, never exports a negative counter, and escapes label values', async () => {
    const { exporter, record } = setup();
    record('al"pha', [
      { metric: 'pg_widgets', labels: { datname: 'a' }, value: NaN },
      { metric: 'pg_widgets', labels: { datname: 'b' }, value: Infinity },
      { metric: 'pg_widgets', labels: { datname: 'line\nbreak' }, value: 7 },
      { metric: 'pg_widgets', labels: { datname: 'back\\slash "quoted"' }, value: 1e21 },
      { metric: 'pg_widget_turns_total', labels: {}, value: -3 },
    ]);
    const text = await exporter.text();
    expect(linesOf(text, 'pg_widgets')).toEqual([
      'pg_widgets{target="al\\"pha",datname="line break"} 7',
      'pg_widgets{target="al\\"pha",datname="back\\\\slash \\"quoted\\""} 1e+21',
    ]);
    expect(linesOf(text, 'pg_widget_turns_total')).toEqual(['pg_widget_turns_total{target="al\\"pha"} 0']);
    expect(exporter.series('pg_widgets')?.[1]?.labels.datname).toBe('back\\slash "quoted"');
  });

  it('keeps only the declared labels, so no stray label (a pid, a user) reaches Prometheus', async () => {
    const { exporter, record } = setup();
    record('alpha', [
      { metric: 'pg_widgets', labels: { datname: 'app', pid: '4242', usename: 'bob' }, value: 1 },
    ]);
    expect(linesOf(await exporter.text(), 'pg_widgets')).toEqual([
      'pg_widgets{target="alpha",datname="app"} 1',
    ]);
  });

  it('exports a label set once and counts the repeats', async () => {
    const { exporter, registry, record } = setup();
    record('alpha', [
      { metric: 'pg_widgets', labels: { datname: 'app' }, value: 1 },
      { metric: 'pg_widgets', labels: { datname: 'app' }, value: 2 },
    ]);
    expect(linesOf(await exporter.text(), 'pg_widgets')).toEqual([
      'pg_widgets{target="alpha",datname="app"} 1',
    ]);
    expect(await droppedOf(registry, 'pg_widgets')).toEqual({ duplicate: 1 });
  });

  it(`caps a family at ${MAX_SERIES_PER_TARGET_FAMILY} series a target, in the collector's order, and counts the rest`, async () => {
    const { exporter, registry, record } = setup();
    const many = Array.from({ length: MAX_SERIES_PER_TARGET_FAMILY + 7 }, (_, i) => ({
      metric: 'pg_widgets',
      labels: { datname: `db${i}` },
      value: i,
    }));
    record('alpha', many);
    record('beta', many.slice(0, 3));
    const lines = linesOf(await exporter.text(), 'pg_widgets');
    // The other target keeps all of its series: the cap is per target, not whoever comes last.
    expect(lines.filter((l) => l.includes('target="alpha"'))).toHaveLength(MAX_SERIES_PER_TARGET_FAMILY);
    expect(lines.filter((l) => l.includes('target="beta"'))).toHaveLength(3);
    expect(lines.at(MAX_SERIES_PER_TARGET_FAMILY - 1)).toContain(`db${MAX_SERIES_PER_TARGET_FAMILY - 1}"`);
    expect(await droppedOf(registry, 'pg_widgets')).toEqual({ target_cap: 7 });
    // Every scrape counts what it left out; the alert engine's reads count nothing.
    expect(exporter.series('pg_widgets')).toHaveLength(MAX_SERIES_PER_TARGET_FAMILY + 3);
    await exporter.text();
    expect(await droppedOf(registry, 'pg_widgets')).toEqual({ target_cap: 14 });
  });

  it('lets the event loop run between chunks of a large scrape', async () => {
    const { exporter, record } = setup();
    for (let t = 0; t < 20; t++)
      record(
        `t${t}`,
        Array.from({ length: 500 }, (_, i) => ({
          metric: 'pg_widgets',
          labels: { datname: `db${i}` },
          value: i,
        })),
      );
    const order: string[] = [];
    setImmediate(() => order.push('other work'));
    let chunks = 0;
    for await (const chunk of exporter.chunks()) {
      expect(chunk.endsWith('\n')).toBe(true);
      chunks += 1;
      order.push(`chunk ${chunks}`);
    }
    expect(chunks).toBeGreaterThan(1);
    expect(order.indexOf('other work')).toBeLessThan(order.length - 1);
  });

  it('refuses a metric that two collectors define, or that the registry already has', () => {
    const twin: CollectorDefinition = { ...WIDGETS, name: 'twin' };
    expect(() => setup([WIDGETS, twin])).toThrow('metric pg_widgets is defined twice');
    const registry = new Registry();
    new Gauge({ name: 'pg_widgets', help: 'self-metric', registers: [registry] });
    expect(
      () => new CatalogExporter(registry, [WIDGETS], new LatestObservations(), { statementsTopN: 1 }),
    ).toThrow('metric pg_widgets is defined twice');
  });
});

/** One statement's samples as the statements collector derives them (two of its eight families). */
function statement(datname: string, queryid: string, seconds: number, calls: number): Sample[] {
  const labels = { datname, queryid };
  return [
    { metric: 'pg_statement_calls_total', labels, value: calls },
    { metric: 'pg_statement_exec_time_seconds_total', labels, value: seconds },
    { metric: 'pg_statement_mean_time_seconds', labels, value: seconds / calls },
  ];
}

describe('statement families: a Top-K a target (metrics.statements_top_n)', () => {
  const recordStatements = (record: ReturnType<typeof setup>['record'], target: string, samples: Sample[]) =>
    record(target, [{ metric: 'pg_statements_tracked', labels: {}, value: 500 }, ...samples], 'statements');

  it('exports the statements with the most execution time, ties by calls then name, per target', async () => {
    const { exporter, registry, record } = setup([statementsDefinition], 2);
    recordStatements(record, 'alpha', [
      ...statement('app', '1', 10, 5),
      ...statement('app', '2', 30, 5),
      ...statement('app', '3', 10, 9), // ties with 1 on time, more calls
      ...statement('app', '4', 1, 1),
    ]);
    recordStatements(record, 'beta', statement('app', '1', 1, 1));
    const text = await exporter.text();
    expect(linesOf(text, 'pg_statement_exec_time_seconds_total')).toEqual([
      'pg_statement_exec_time_seconds_total{target="alpha",datname="app",queryid="2"} 30',
      'pg_statement_exec_time_seconds_total{target="alpha",datname="app",queryid="3"} 10',
      'pg_statement_exec_time_seconds_total{target="beta",datname="app",queryid="1"} 1',
    ]);
    // Every statement family exports the same statements; the collector's totals are not statements.
    expect(
      linesOf(text, 'pg_statement_mean_time_seconds').map((l) => /queryid="(\d+)"/.exec(l)?.[1]),
    ).toEqual(['2', '3', '1']);
    expect(linesOf(text, 'pg_statements_tracked')).toHaveLength(2);
    expect(await droppedOf(registry, 'pg_statement_calls_total')).toEqual({ statements_top_n: 2 });
    expect(exporter.series('pg_statement_calls_total')?.map((s) => s.labels.queryid)).toEqual([
      '2',
      '3',
      '1',
    ]);
  });

  it('chooses the same statements whatever order the collector returned them in', async () => {
    const samples = [
      ...statement('app', '1', 10, 5),
      ...statement('b', '1', 10, 5),
      ...statement('app', '2', 10, 5),
    ];
    const chosen = async (order: Sample[]) => {
      const { exporter, record } = setup([statementsDefinition], 2);
      recordStatements(record, 'alpha', order);
      return linesOf(await exporter.text(), 'pg_statement_calls_total').sort();
    };
    expect(await chosen([...samples].reverse())).toEqual(await chosen(samples));
  });

  it('exports no statement at 0, and the totals still', async () => {
    const { exporter, record } = setup([statementsDefinition], 0);
    recordStatements(record, 'alpha', statement('app', '1', 10, 5));
    const text = await exporter.text();
    expect(linesOf(text, 'pg_statement_calls_total')).toEqual([]);
    expect(linesOf(text, 'pg_statements_tracked')).toEqual(['pg_statements_tracked{target="alpha"} 500']);
  });
});
