import { Catalog, MetricEntry, TableEntry } from '../../catalog/catalog';
import type { PanelBody, PrometheusQuery } from './grafana-types';
import { pluginRef, prometheusRef } from './model';
import { columnUnit, PanelKit, thresholds } from './panels';
import { ANY } from './steps';

/** A catalog of a few entries, so that each expectation below follows from what is set here. */
function testCatalog(): Catalog {
  const catalog = new Catalog([]);
  const metric = (entry: Omit<MetricEntry, 'collector' | 'loop'>): void => {
    catalog.metrics.set(entry.name, { collector: 'test', loop: 'hot', ...entry });
  };
  metric({
    name: 'pg_connection_usage_ratio',
    help: 'Client backends / usable maximum.',
    type: 'gauge',
    unit: 'percentunit',
    labels: [],
    sql: [
      { major: 14, file: 'collectors/activity.pg14.sql', text: '' },
      { major: 16, file: 'collectors/activity.pg16.sql', text: '' },
    ],
  });
  metric({
    name: 'pg_xact_commit_total',
    help: 'Commits.',
    type: 'counter',
    unit: 'short',
    rateUnit: 'ops',
    labels: ['datname'],
    sql: [{ major: null, file: 'collectors/database-stats.sql', text: '' }],
  });
  const table: TableEntry = {
    kind: 'sessions',
    description: 'Sessions now',
    source: 'snapshot',
    columns: [
      { name: 'pid', type: 'number' },
      { name: 'state', type: 'string' },
      { name: 'xact_age_seconds', type: 'number' },
      { name: 'query', type: 'string' },
    ],
    collectors: ['test'],
    sql: [{ major: 14, file: 'collectors/activity.pg14.sql', text: '' }],
  };
  catalog.tables.set(table.kind, table);
  return catalog;
}

const size = { w: 12, h: 8 };

function panelOf(spec: { json: PanelBody }): PanelBody {
  return spec.json;
}

describe('thresholds', () => {
  it('starts from the base colour at null (-Infinity) and keeps the steps in order', () => {
    expect(thresholds(['green', [0.7, 'yellow'], [0.95, 'red']])).toEqual({
      mode: 'absolute',
      steps: [
        { color: 'green', value: null },
        { color: 'yellow', value: 0.7 },
        { color: 'red', value: 0.95 },
      ],
    });
  });

  it('is a single green step without steps', () => {
    expect(thresholds(undefined).steps).toEqual([{ color: 'green', value: null }]);
  });
});

describe('columnUnit', () => {
  it.each([
    ['size_bytes', 'bytes'],
    ['xact_age_seconds', 's'],
    ['mean_ms', 'ms'],
    ['dead_ratio', 'percentunit'],
    ['used_percent', 'percent'],
    ['state', undefined],
  ])('%s -> %s', (name, unit) => {
    expect(columnUnit(name)).toBe(unit);
  });
});

describe('PanelKit backend panels', () => {
  it('queries the metric through the PG Governor data source, refIds in order', () => {
    const kit = new PanelKit(testCatalog(), false);
    const panel = panelOf(
      kit.timeseries({ title: 'Usage', description: 'Usage now.', ...size }, [
        kit.series('pg_connection_usage_ratio'),
        kit.series('pg_xact_commit_total', { filters: { datname: '$database' }, aggregation: 'sum' }),
      ]),
    );
    expect(panel.type).toBe('timeseries');
    expect(panel.datasource).toEqual(pluginRef);
    expect(panel.targets).toEqual([
      {
        refId: 'A',
        datasource: pluginRef,
        kind: 'timeseries',
        target: '$target',
        metric: 'pg_connection_usage_ratio',
        aggregation: 'avg',
        legendFormat: '{{metric}}',
      },
      {
        refId: 'B',
        datasource: pluginRef,
        kind: 'timeseries',
        target: '$target',
        filters: { datname: '$database' },
        metric: 'pg_xact_commit_total',
        aggregation: 'sum',
        legendFormat: '{{metric}}',
      },
    ]);
  });

  it('filters on a multi-value $target in fleet views (a filter takes lists) and labels by target', () => {
    const kit = new PanelKit(testCatalog(), true);
    const panel = panelOf(
      kit.stat({ title: 'Usage', description: 'Usage now.', ...size }, [
        kit.series('pg_xact_commit_total', { filters: { datname: '$database' } }),
      ]),
    );
    expect(panel.targets[0]).toMatchObject({
      filters: { target: '$target', datname: '$database' },
      legendFormat: '{{target}}',
    });
    expect(panel.targets[0]).not.toHaveProperty('target');
  });

  it("gives every series panel the kit's Min interval, Grafana's lower bound on the step", () => {
    const kit = new PanelKit(testCatalog(), true, { minInterval: '1m' });
    const series = [kit.series('pg_xact_commit_total')];
    expect(panelOf(kit.stat({ title: 'Now', description: 'Now.', ...size }, series)).interval).toBe('1m');
    expect(
      panelOf(kit.timeseries({ title: 'Over time', description: 'Over time.', ...size }, series)).interval,
    ).toBe('1m');
    const plain = new PanelKit(testCatalog(), true);
    expect(panelOf(plain.stat({ title: 'Now', description: 'Now.', ...size }, series))).not.toHaveProperty(
      'interval',
    );
  });

  it("takes the unit from the catalog, a counter's rate unit before its own", () => {
    const kit = new PanelKit(testCatalog(), false);
    const unitOf = (metric: string, unit?: string) =>
      panelOf(kit.stat({ title: 't', description: 'd', ...size, unit }, [kit.series(metric)])).fieldConfig
        .defaults.unit;
    expect(unitOf('pg_connection_usage_ratio')).toBe('percentunit');
    expect(unitOf('pg_xact_commit_total')).toBe('ops');
    expect(unitOf('pg_xact_commit_total', 'short')).toBe('short');
  });

  it('describes where the numbers come from: metrics with their help, SQL files once per query', () => {
    const kit = new PanelKit(testCatalog(), false);
    const panel = panelOf(
      kit.stat({ title: 't', description: 'Usage now.', ...size }, [kit.series('pg_connection_usage_ratio')]),
    );
    expect(panel.description).toBe(
      [
        'Usage now.',
        '',
        'Metrics: pg_connection_usage_ratio (Client backends / usable maximum).',
        "SQL: sql/collectors/activity.pg*.sql (the query editor's SQL section shows the exact text).",
      ].join('\n'),
    );
  });

  it('colours a stat by its thresholds, a graph by series, and draws graph thresholds only when asked', () => {
    const kit = new PanelKit(testCatalog(), false);
    const options = { title: 't', description: 'd', ...size, thresholds: ANY };
    const stat = panelOf(kit.stat(options, [kit.series('pg_xact_commit_total')]));
    const graph = panelOf(
      kit.timeseries({ ...options, showThresholds: true }, [kit.series('pg_xact_commit_total')]),
    );
    expect(stat.fieldConfig.defaults.color).toEqual({ mode: 'thresholds' });
    expect(stat.fieldConfig.defaults).not.toHaveProperty('custom');
    expect(graph.fieldConfig.defaults.color).toEqual({ mode: 'palette-classic' });
    expect(graph.fieldConfig.defaults.custom).toMatchObject({ thresholdsStyle: { mode: 'line+area' } });
  });

  it('maps values to text with their order as index', () => {
    const kit = new PanelKit(testCatalog(), false);
    const panel = panelOf(
      kit.stat(
        {
          title: 't',
          description: 'd',
          ...size,
          mappings: [
            { value: 0, text: 'down', color: 'red' },
            { value: 1, text: 'up', color: 'green' },
          ],
        },
        [kit.series('pg_connection_usage_ratio')],
      ),
    );
    expect(panel.fieldConfig.defaults.mappings).toEqual([
      {
        type: 'value',
        options: {
          '0': { text: 'down', color: 'red', index: 0 },
          '1': { text: 'up', color: 'green', index: 1 },
        },
      },
    ]);
  });

  it('refuses a metric or a label the catalog does not have', () => {
    const kit = new PanelKit(testCatalog(), false);
    expect(() => kit.series('pg_nope')).toThrow('dashboard metric pg_nope is not in the backend catalog');
    expect(() => kit.series('pg_connection_usage_ratio', { groupBy: ['datname'] })).toThrow(
      'metric pg_connection_usage_ratio has no label datname',
    );
    expect(() => kit.series('pg_xact_commit_total', { filters: { usename: 'x' } })).toThrow(
      'metric pg_xact_commit_total has no label usename',
    );
  });
});

describe('PanelKit tables', () => {
  it('queries the latest snapshot, Top-N ordered, through the PG Governor data source', () => {
    const kit = new PanelKit(testCatalog(), false);
    const panel = panelOf(
      kit.table({
        title: 't',
        description: 'Sessions.',
        ...size,
        table: 'sessions',
        orderBy: 'xact_age_seconds',
      }),
    );
    expect(panel.type).toBe('table');
    expect(panel.targets).toEqual([
      {
        refId: 'A',
        datasource: pluginRef,
        kind: 'table',
        table: 'sessions',
        target: '$target',
        asOf: 'latest',
        limit: 50,
        orderBy: 'xact_age_seconds',
        order: 'desc',
      },
    ]);
    expect(panel.description).toBe(
      'Sessions.\n\nSource: table "sessions" (Sessions now). SQL: sql/collectors/activity.pg*.sql (the query editor\'s SQL section shows the exact text).',
    );
  });

  it('reads event tables over the time range (no asOf)', () => {
    const kit = new PanelKit(testCatalog(), false);
    const panel = panelOf(kit.table({ title: 't', description: 'd', ...size, table: 'alerts' }));
    expect(panel.targets[0]).not.toHaveProperty('asOf');
    expect(panel.description).toContain("from the backend's event store");
  });

  it('sets column units by name, colours thresholded cells and hides columns by transformation', () => {
    const kit = new PanelKit(testCatalog(), false);
    const panel = panelOf(
      kit.table({
        title: 't',
        description: 'd',
        ...size,
        table: 'sessions',
        hide: ['query'],
        columnThresholds: { state: ['green', [1, 'red']] },
      }),
    );
    expect(panel.fieldConfig.overrides).toEqual([
      {
        matcher: { id: 'byName', options: 'state' },
        properties: [
          { id: 'thresholds', value: thresholds(['green', [1, 'red']]) },
          { id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } },
        ],
      },
      { matcher: { id: 'byName', options: 'xact_age_seconds' }, properties: [{ id: 'unit', value: 's' }] },
    ]);
    expect(panel.transformations).toEqual([{ id: 'organize', options: { excludeByName: { query: true } } }]);
  });

  it('refuses a table or a column the catalog does not have', () => {
    const kit = new PanelKit(testCatalog(), false);
    const table = { title: 't', description: 'd', ...size };
    expect(() => kit.table({ ...table, table: 'nope' })).toThrow(
      'dashboard table nope is not in the backend catalog',
    );
    expect(() => kit.table({ ...table, table: 'sessions', hide: ['nope'] })).toThrow(
      'table sessions has no column nope',
    );
    expect(() => kit.table({ ...table, table: 'sessions', orderBy: 'nope' })).toThrow(
      'table sessions has no column nope',
    );
  });
});

describe('PanelKit Prometheus panels', () => {
  it('queries Prometheus through its data source variable and names the pgg_ metrics it reads', () => {
    const kit = new PanelKit(testCatalog(), false);
    const panel = panelOf(
      kit.promTimeseries({ title: 't', description: 'Level.', ...size }, [
        { expr: 'max(pgg_governor_level{target="$target"})', legend: 'level' },
        { expr: 'sum(pgg_governor_level) + sum(pgg_alerts_firing)', legend: 'other' },
      ]),
    );
    expect(panel.datasource).toEqual(prometheusRef);
    const targets = panel.targets as PrometheusQuery[];
    expect(targets.map((t) => [t.refId, t.datasource, t.expr, t.legendFormat, t.range, t.instant])).toEqual([
      ['A', prometheusRef, 'max(pgg_governor_level{target="$target"})', 'level', true, false],
      ['B', prometheusRef, 'sum(pgg_governor_level) + sum(pgg_alerts_firing)', 'other', true, false],
    ]);
    expect(panel.description).toBe(
      "Level.\n\nSource: Prometheus scraping the backend's /metrics (pgg_governor_level, pgg_alerts_firing).",
    );
    expect(panel.fieldConfig.defaults.unit).toBe('short');
  });

  it('is a stat without graph settings', () => {
    const kit = new PanelKit(testCatalog(), false);
    const panel = panelOf(
      kit.promStat({ title: 't', description: 'd', ...size }, [{ expr: 'pgg_x', legend: 'x' }]),
    );
    expect(panel.type).toBe('stat');
    expect(panel.options).toHaveProperty('reduceOptions', {
      calcs: ['lastNotNull'],
      fields: '',
      values: false,
    });
  });
});
