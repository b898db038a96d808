import { Registry } from 'prom-client';
import { CollectorDefinition } from '../catalog/types';
import { LatestObservations } from '../collectors/latest-observations';
import { Sample } from '../collectors/types';
import { MAX_SERIES_PER_FAMILY, registerExporter } from './exporter';

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

function setup(collectors: CollectorDefinition[] = [WIDGETS]) {
  const registry = new Registry();
  const latest = new LatestObservations();
  registerExporter(registry, collectors, latest);
  const record = (target: string, samples: Sample[], collector = 'widgets') =>
    latest.record({ target, collector, loop: 'hot', time: 1, samples, snapshots: [] });
  return { registry, latest, record };
}

interface Series {
  labels: Record<string, string | number>;
  value: number;
}
const seriesOf = async (registry: Registry, name: string): Promise<Series[]> =>
  ((await registry.getMetricsAsJSON()).find((m) => m.name === name)?.values ?? []) as Series[];

describe('exporter over the latest observations', () => {
  it('serves each family with the target label added, at scrape time', async () => {
    const { registry, record } = setup();
    record('alpha', [
      { metric: 'pg_widgets', labels: { datname: 'app' }, value: 3 },
      { metric: 'pg_widget_turns_total', labels: {}, value: 42 },
    ]);
    record('beta', [{ metric: 'pg_widgets', labels: { datname: 'app' }, value: 5 }]);
    expect(await seriesOf(registry, 'pg_widgets')).toEqual([
      { labels: { target: 'alpha', datname: 'app' }, value: 3 },
      { labels: { target: 'beta', datname: 'app' }, value: 5 },
    ]);
    expect(await seriesOf(registry, 'pg_widget_turns_total')).toEqual([
      { labels: { target: 'alpha' }, value: 42 },
    ]);
    const text = await registry.metrics();
    expect(text).toContain('# HELP pg_widgets Widgets (short)');
    expect(text).toContain('# TYPE pg_widget_turns_total counter');
  });

  it('drops the series of a forgotten observation instead of serving it stale', async () => {
    const { registry, latest, record } = setup();
    record('alpha', [{ metric: 'pg_widgets', labels: { datname: 'app' }, value: 3 }]);
    expect(await seriesOf(registry, 'pg_widgets')).toHaveLength(1);
    latest.forget('alpha', 'widgets');
    expect(await seriesOf(registry, 'pg_widgets')).toEqual([]);
  });

  it('replaces the previous cycle: objects gone from the newest observation are gone', async () => {
    const { registry, record } = setup();
    record('alpha', [
      { metric: 'pg_widgets', labels: { datname: 'app' }, value: 1 },
      { metric: 'pg_widgets', labels: { datname: 'old' }, value: 1 },
    ]);
    record('alpha', [{ metric: 'pg_widgets', labels: { datname: 'app' }, value: 2 }]);
    expect(await seriesOf(registry, 'pg_widgets')).toEqual([
      { labels: { target: 'alpha', datname: 'app' }, value: 2 },
    ]);
  });

  it('skips values that are not finite, never exports a negative counter, and cleans label values', async () => {
    const { registry, record } = setup();
    record('alpha', [
      { metric: 'pg_widgets', labels: { datname: 'a' }, value: NaN },
      { metric: 'pg_widgets', labels: { datname: 'b' }, value: Infinity },
      { metric: 'pg_widgets', labels: { datname: 'line\nbreak' }, value: 7 },
      { metric: 'pg_widget_turns_total', labels: {}, value: -3 },
    ]);
    expect(await seriesOf(registry, 'pg_widgets')).toEqual([
      { labels: { target: 'alpha', datname: 'line break' }, value: 7 },
    ]);
    expect(await seriesOf(registry, 'pg_widget_turns_total')).toEqual([
      { labels: { target: 'alpha' }, value: 0 },
    ]);
  });

  it('keeps only the declared labels, so no stray label (a pid, a user) reaches Prometheus', async () => {
    const { registry, record } = setup();
    record('alpha', [
      { metric: 'pg_widgets', labels: { datname: 'app', pid: '4242', usename: 'bob' }, value: 1 },
    ]);
    expect(await seriesOf(registry, 'pg_widgets')).toEqual([
      { labels: { target: 'alpha', datname: 'app' }, value: 1 },
    ]);
  });

  it(`caps a family at ${MAX_SERIES_PER_FAMILY} series and counts what it dropped`, async () => {
    const { registry, record } = setup();
    const samples = Array.from({ length: MAX_SERIES_PER_FAMILY + 7 }, (_, i) => ({
      metric: 'pg_widgets',
      labels: { datname: `db${i}` },
      value: i,
    }));
    record('alpha', samples);
    const dropped = async () =>
      (await seriesOf(registry, 'pgg_exporter_series_dropped_total'))[0]?.value ?? 0;
    // Every scrape serves the cap and counts the series it left out.
    expect(await seriesOf(registry, 'pg_widgets')).toHaveLength(MAX_SERIES_PER_FAMILY);
    const first = await dropped();
    expect((await dropped()) - first).toBe(7);
  });

  it('refuses a metric that two collectors define', () => {
    const twin: CollectorDefinition = { ...WIDGETS, name: 'twin' };
    expect(() => setup([WIDGETS, twin])).toThrow('metric pg_widgets is defined twice');
  });
});
