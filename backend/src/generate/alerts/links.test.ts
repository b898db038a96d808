import { dashboardPanels, panelShowing, PanelRef } from '../dashboards/panel-index';
import { DEFAULT_PROMETHEUS_JOB } from '../../config/alerts-schema';
import { linkedRules } from './files';
import { ruleLinks } from './links';
import { catalogSource } from './rule-source';
import { effectiveRules } from '../../alerts/rules';

const options = {
  overrides: {},
  prometheusUrl: 'http://prometheus:9090',
  backendUrl: 'http://backend:8765',
  grafanaUrl: 'https://grafana.example.com/',
  runbooksUrl: 'https://wiki.example.com/pg/runbooks',
  prometheusJob: DEFAULT_PROMETHEUS_JOB,
  strictFixtures: true,
};
const panels = dashboardPanels();
const rules = linkedRules(options);

describe('the links of every generated rule', () => {
  it.each(rules.map((r) => [r.definition.id, r] as const))(
    '%s: a panel of the generated dashboards that shows it, and its runbook',
    (_id, rule) => {
      const panel = panels.find(
        (p) => p.dashboardUid === rule.links.dashboardUid && p.panelId === rule.links.panelId,
      );
      expect(panel).toBeDefined();
      expect(rule.shownBy.some((name) => panel?.shows.includes(name))).toBe(true);
      expect(rule.links.runbookUrl).toBe(`https://wiki.example.com/pg/runbooks/${rule.definition.id}.md`);
      expect(rule.links.dashboardUrl).toMatch(
        new RegExp(
          `^https://grafana\\.example\\.com/d/${rule.links.dashboardUid}\\?(.+&)?viewPanel=panel-${rule.links.panelId}$`,
        ),
      );
      expect(rule.links.dashboardUrl.includes('var-target={{label.target}}')).toBe(
        rule.definition.instanceLabels.includes('target'),
      );
    },
  );

  it("links the alert's own family where a panel shows it (the catalog's default)", () => {
    const saturation = rules.find((r) => r.definition.id === 'connection_saturation');
    expect(saturation?.shownBy[0]).toBe('pg_connection_usage_ratio');
    // A time series of it, on the first dashboard that has one: the fleet overview.
    expect(saturation?.links.panel).toMatchObject({ dashboardUid: 'pgg-fleet', panelType: 'timeseries' });
  });

  it('refuses a rule no panel shows rather than linking nowhere', () => {
    const [first] = effectiveRules();
    const source = {
      ...catalogSource(first as NonNullable<typeof first>),
      shownBy: ['pg_nothing_shows_this'],
    };
    expect(() => ruleLinks(source, panels, options)).toThrow(/no dashboard panel shows/);
  });
});

describe('panelShowing', () => {
  const panel = (panelId: number, panelType: string, shows: string[]): PanelRef => ({
    dashboardUid: 'd',
    dashboardTitle: 'D',
    panelId,
    panelTitle: `p${panelId}`,
    panelType,
    shows,
  });

  it('prefers the first name shown, then a time series over a stat over a table', () => {
    const list = [panel(1, 'table', ['a']), panel(2, 'stat', ['a']), panel(3, 'timeseries', ['a', 'b'])];
    expect(panelShowing(['a'], list)?.panelId).toBe(3);
    expect(panelShowing(['x', 'a'], list)?.panelId).toBe(3);
    expect(panelShowing(['x'], list)).toBeUndefined();
  });

  it('reads backend metrics, table kinds and the families of PromQL', () => {
    const fleet = panels.filter((p) => p.dashboardUid === 'pgg-fleet');
    expect(fleet.find((p) => p.panelTitle === 'Targets up')?.shows).toEqual(['pgg_target_up']);
    expect(panels.some((p) => p.panelType === 'table' && p.shows.includes('unused_indexes'))).toBe(true);
  });
});
