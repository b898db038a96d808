import { Catalog } from '../../catalog/catalog';
import { COLLECTOR_DEFINITIONS } from '../../catalog/collectors';
import { renderDashboard } from './frame';
import { DASHBOARD_DEFINITIONS } from './index';

/** A panel of a generated dashboard, as links to it need it. */
export interface PanelRef {
  dashboardUid: string;
  dashboardTitle: string;
  /** The panel id (Grafana's panelId; its view key is panel-<id>). */
  panelId: number;
  panelTitle: string;
  panelType: string;
  /** The metric families (backend or Prometheus) and table kinds its queries read. */
  shows: string[];
}

/** Metric family names in PromQL: the backend's families all start with one of these prefixes. */
const FAMILY = /\b(?:pg|pgg|pgbouncer)_[a-z0-9_]+\b/g;

function shownBy(targets: readonly object[]): string[] {
  const names = new Set<string>();
  for (const target of targets as { metric?: unknown; table?: unknown; expr?: unknown }[]) {
    for (const field of [target.metric, target.table]) if (typeof field === 'string') names.add(field);
    if (typeof target.expr === 'string') for (const [name] of target.expr.matchAll(FAMILY)) names.add(name);
  }
  return [...names];
}

/** Every panel of the generated dashboards, in dashboard and panel order. */
export function dashboardPanels(catalog = new Catalog(COLLECTOR_DEFINITIONS)): PanelRef[] {
  return DASHBOARD_DEFINITIONS.flatMap((define) => {
    const spec = define(catalog);
    return renderDashboard(spec, 'provisioned').panels.map((panel) => ({
      dashboardUid: spec.uid,
      dashboardTitle: spec.title,
      panelId: panel.id,
      panelTitle: panel.title ?? '',
      panelType: panel.type,
      shows: shownBy((panel as { targets?: object[] }).targets ?? []),
    }));
  });
}

/** A time series shows how a value got where it is; a stat only where it is; a table the rows. */
const PREFERENCE = ['timeseries', 'stat', 'table'];
const rank = (panel: PanelRef) => {
  const index = PREFERENCE.indexOf(panel.panelType);
  return index < 0 ? PREFERENCE.length : index;
};

/**
 * The panel that shows the first of `names` (metric families or table kinds) any panel shows: a
 * time series before a stat before a table, then the first dashboard. Undefined if none does.
 */
export function panelShowing(names: readonly string[], panels: readonly PanelRef[]): PanelRef | undefined {
  for (const name of names) {
    const candidates = panels.filter((p) => p.shows.includes(name));
    const [best] = [...candidates].sort((a, b) => rank(a) - rank(b));
    if (best) return best;
  }
  return undefined;
}
