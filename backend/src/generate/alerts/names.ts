import { UIDS } from '../dashboards/model';
import { Severity } from '../../catalog/alerts/types';
import { EffectiveRule } from '../../alerts/rules';

export const EXPRESSION_DATASOURCE_UID = '__expr__';
export const DASHBOARD_PATH = `/d/${UIDS.fleet}`;
export const RULE_GROUP_INTERVAL = '1m';

const SHORT: Record<Severity, string> = { info: 'info', warning: 'warn', critical: 'crit' };

/** Grafana rule uid: stable (derived from the alert id and severity), at most 40 characters. */
export function grafanaRuleUid(rule: EffectiveRule, severity: Severity): string {
  return `pgg-${rule.definition.id.replace(/_/g, '-')}-${SHORT[severity]}`;
}

/** Rule titles must be unique in a folder for Grafana before 12: the severity is part of it. */
export function grafanaRuleTitle(rule: EffectiveRule, severity: Severity): string {
  return `${rule.definition.name} ${severity}`;
}

export const groupName = (category: string) => `pg-governor-${category}`;

/** The fleet dashboard, on the alert's target when it has one. */
export function dashboardLinkTemplate(rule: EffectiveRule): string {
  return rule.definition.instanceLabels.includes('target')
    ? `${DASHBOARD_PATH}?var-target={{label.target}}`
    : DASHBOARD_PATH;
}

/** Rules grouped by category, in catalog order. */
export function byCategory(rules: readonly EffectiveRule[]): [string, EffectiveRule[]][] {
  const groups = new Map<string, EffectiveRule[]>();
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const list = groups.get(rule.definition.category) ?? [];
    list.push(rule);
    groups.set(rule.definition.category, list);
  }
  return [...groups.entries()];
}
