import { layout, renderDashboard } from './frame';
import { DASHBOARD_DEFINITIONS, dashboardFiles } from './index';
import type { DashboardJson, DashboardPanel } from './grafana-types';
import {
  DashboardSpec,
  PanelSpec,
  PLUGIN_DATASOURCE_UID,
  pluginRef,
  PROMETHEUS_DATASOURCE_UID,
} from './model';

/** A panel of the given size; layout reads only w and h. */
function sized(w: number, h: number, title = `${w}x${h}`): PanelSpec {
  return {
    w,
    h,
    json: {
      type: 'stat',
      title,
      datasource: pluginRef,
      targets: [],
      fieldConfig: { defaults: {}, overrides: [] },
      options: {
        reduceOptions: { calcs: ['lastNotNull'] },
        orientation: 'auto',
        colorMode: 'value',
        graphMode: 'none',
        justifyMode: 'auto',
        textMode: 'auto',
        wideLayout: true,
        showPercentChange: false,
        percentChangeColorMode: 'standard',
      },
      links: [],
    },
  };
}

/** Panels that share a grid cell. */
function overlaps(panels: Pick<DashboardPanel, 'gridPos' | 'title'>[]): string[] {
  const found: string[] = [];
  panels.forEach((a, i) =>
    panels.slice(i + 1).forEach((b) => {
      const p = a.gridPos;
      const q = b.gridPos;
      if (p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h)
        found.push(`${a.title} / ${b.title}`);
    }),
  );
  return found;
}

const spec = (over: Partial<DashboardSpec> = {}): DashboardSpec => ({
  uid: 'pgg-test',
  title: 'PG Governor / Test',
  description: 'A test dashboard',
  file: 'test.json',
  annotationKinds: ['interventions', 'alerts'],
  panels: [sized(12, 8, 'first'), sized(12, 4, 'second')],
  ...over,
});

describe('layout', () => {
  it('places panels left to right, wraps at 24 columns below the tallest, ids from 1', () => {
    const panels = layout([sized(8, 4), sized(8, 6), sized(8, 4), sized(12, 8), sized(24, 2)]);
    expect(panels.map((p) => [p.id, p.gridPos])).toEqual([
      [1, { h: 4, w: 8, x: 0, y: 0 }],
      [2, { h: 6, w: 8, x: 8, y: 0 }],
      [3, { h: 4, w: 8, x: 16, y: 0 }],
      [4, { h: 8, w: 12, x: 0, y: 6 }],
      [5, { h: 2, w: 24, x: 0, y: 14 }],
    ]);
  });

  it('never overlaps and never runs past the grid', () => {
    const widths = [5, 7, 12, 3, 24, 9, 9, 6, 1, 23, 4, 20];
    const panels = layout(widths.map((w, i) => sized(w, 1 + (i % 4), `p${i}`)));
    expect(overlaps(panels)).toEqual([]);
    for (const p of panels) expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
  });

  it('keeps the panel fields after id and gridPos', () => {
    const [panel] = layout([sized(6, 4, 'only')]);
    expect(Object.keys(panel ?? {}).slice(0, 4)).toEqual(['id', 'gridPos', 'type', 'title']);
  });
});

describe('renderDashboard variables', () => {
  const variables = (dashboard: ReturnType<typeof renderDashboard>) =>
    Object.fromEntries(dashboard.templating.list.map((v) => [v.name, v]));

  it('picks the provisioned data sources by their fixed uids', () => {
    const v = variables(renderDashboard(spec({ usesPrometheus: true }), 'provisioned'));
    expect(Object.keys(v)).toEqual(['datasource', 'prometheus', 'target', 'database']);
    expect(v.datasource?.current).toEqual({
      selected: true,
      text: 'PG Governor',
      value: PLUGIN_DATASOURCE_UID,
    });
    expect(v.prometheus?.current).toMatchObject({ value: PROMETHEUS_DATASOURCE_UID });
  });

  it('adds the Prometheus variable only to dashboards that query Prometheus', () => {
    const v = variables(renderDashboard(spec(), 'provisioned'));
    expect(Object.keys(v)).toEqual(['datasource', 'target', 'database']);
  });

  it('has one target and its databases in a target view', () => {
    const v = variables(renderDashboard(spec(), 'provisioned'));
    expect(v.target).toMatchObject({
      type: 'query',
      datasource: pluginRef,
      query: { refId: 'PggVariable-target', variable: 'targets' },
      multi: false,
      includeAll: false,
      refresh: 2,
    });
    // No selection saved: Grafana selects the first target as it loads the dashboard.
    expect(v.target).not.toHaveProperty('current');
    expect(v.database).toMatchObject({
      query: { variable: 'databases', target: '$target' },
      definition: 'databases of $target',
      multi: true,
      includeAll: true,
      current: { text: ['All'], value: ['$__all'] },
    });
  });

  it('has every target (all by default) and every database in a fleet view', () => {
    const v = variables(renderDashboard(spec({ multiTarget: true }), 'provisioned'));
    expect(v.target).toMatchObject({ multi: true, includeAll: true, current: { value: ['$__all'] } });
    expect(v.database?.query).toEqual({
      refId: 'PggVariable-database',
      variable: 'databases',
      query: 'databases',
    });
  });
});

describe('renderDashboard forms', () => {
  it('importable: data sources as import inputs, listed first with what the dashboard requires', () => {
    const dashboard = renderDashboard(spec({ usesPrometheus: true }), 'importable');
    expect(Object.keys(dashboard).slice(0, 3)).toEqual(['__inputs', '__requires', 'annotations']);
    expect(dashboard.__inputs.map((i) => [i.name, i.pluginId])).toEqual([
      ['DS_PG_GOVERNOR', 'pggovernor-postgres-datasource'],
      ['DS_PROMETHEUS', 'prometheus'],
    ]);
    expect(dashboard.templating.list[0]?.current).toMatchObject({ value: '${DS_PG_GOVERNOR}' });
    expect(dashboard.__requires.map((r) => `${r.type}:${r.id}`)).toEqual([
      'grafana:grafana',
      'datasource:pggovernor-postgres-datasource',
      'datasource:prometheus',
      'panel:stat',
    ]);
  });

  it('provisioned: no import fields', () => {
    const dashboard = renderDashboard(spec(), 'provisioned');
    expect(dashboard).not.toHaveProperty('__inputs');
    expect(dashboard).not.toHaveProperty('__requires');
  });

  it("shows the definition's event kinds on $target as annotations, beside Grafana's own", () => {
    const { list } = renderDashboard(spec(), 'provisioned').annotations;
    expect(list.map((a) => a.name)).toEqual(['Annotations & Alerts', 'PG Governor events']);
    expect(list[1]).toMatchObject({
      datasource: pluginRef,
      enable: true,
      target: { refId: 'PggAnnotations', kinds: ['interventions', 'alerts'], target: '$target' },
    });
  });

  it('defaults to the last 3 hours unless the definition says otherwise', () => {
    expect(renderDashboard(spec(), 'provisioned').time).toEqual({ from: 'now-3h', to: 'now' });
    const day = { from: 'now-24h', to: 'now' };
    expect(renderDashboard(spec({ time: day }), 'provisioned').time).toEqual(day);
  });
});

describe('every shipped dashboard', () => {
  const dashboards = dashboardFiles()
    .filter((f) => f.path.startsWith('provisioning/') && f.path.endsWith('.json'))
    .map((f) => JSON.parse(f.content) as DashboardJson);

  it('is generated, each with its own uid', () => {
    expect(dashboards).toHaveLength(DASHBOARD_DEFINITIONS.length);
    expect(new Set(dashboards.map((d) => d.uid)).size).toBe(dashboards.length);
  });

  it.each(dashboards.map((d) => [d.title, d] as const))('%s: panels do not overlap', (_title, d) => {
    expect(overlaps(d.panels)).toEqual([]);
  });

  it.each(dashboards.map((d) => [d.title, d] as const))(
    "%s: each query goes to its panel's data source, under its own refId",
    (_title, d) => {
      for (const panel of d.panels) {
        expect(panel.targets.length).toBeGreaterThan(0);
        for (const target of panel.targets) expect(target.datasource).toEqual(panel.datasource);
        const refIds = panel.targets.map((t) => t.refId);
        expect(new Set(refIds).size).toBe(refIds.length);
      }
    },
  );
});
