import { PanelRef, panelShowing } from '../dashboards/panel-index';
import { RuleSource } from './rule-source';

/** Where the links of the generated rules point: absolute, so that they work from PagerDuty. */
export interface LinkOptions {
  /** Grafana's root URL as people open it. */
  grafanaUrl: string;
  /** Where docs/runbooks is published: a runbook is <runbooksUrl>/<alert id>.md. */
  runbooksUrl: string;
}

/** A rule's links: its panel (Grafana's dashboardUid and panelId) and both as absolute URLs. */
export interface RuleLinks {
  panel: PanelRef;
  dashboardUid: string;
  panelId: number;
  /** The panel in view, on the alert's target: a template in the catalog's neutral syntax. */
  dashboardUrl: string;
  runbookUrl: string;
}

/** A rule with its links (its panel, its runbook). */
export interface LinkedRule extends RuleSource {
  links: RuleLinks;
}

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

/** The dashboard variables an alert's labels set (the dashboards' $target and $database). */
const VARIABLES: [label: string, variable: string][] = [
  ['target', 'target'],
  ['datname', 'database'],
];

export function ruleLinks(source: RuleSource, panels: readonly PanelRef[], options: LinkOptions): RuleLinks {
  const d = source.definition;
  const panel = panelShowing(source.shownBy, panels);
  if (!panel)
    throw new Error(`no dashboard panel shows ${d.id} (${source.shownBy.join(', ')}): give it a shownBy`);
  const query = [
    ...VARIABLES.filter(([label]) => d.instanceLabels.includes(label)).map(
      ([label, variable]) => `var-${variable}={{label.${label}}}`,
    ),
    `viewPanel=panel-${panel.panelId}`,
  ];
  return {
    panel,
    dashboardUid: panel.dashboardUid,
    panelId: panel.panelId,
    dashboardUrl: `${withoutTrailingSlash(options.grafanaUrl)}/d/${panel.dashboardUid}?${query.join('&')}`,
    runbookUrl: `${withoutTrailingSlash(options.runbooksUrl)}/${d.id}.md`,
  };
}
