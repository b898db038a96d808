import { Severity } from '../../catalog/alerts/types';

export const EXPRESSION_DATASOURCE_UID = '__expr__';
export const RULE_GROUP_INTERVAL = '1m';

const SHORT: Record<Severity, string> = { info: 'info', warning: 'warn', critical: 'crit' };

interface Named {
  definition: { id: string; name: string };
}

/** Grafana rule uid: stable (derived from the alert id and severity), at most 40 characters. */
export function grafanaRuleUid(rule: Named, severity: Severity): string {
  return `pgg-${rule.definition.id.replace(/_/g, '-')}-${SHORT[severity]}`;
}

/** Rule titles must be unique in a folder for Grafana before 12: the severity is part of it. */
export function grafanaRuleTitle(rule: Named, severity: Severity): string {
  return `${rule.definition.name} ${severity}`;
}

export const groupName = (category: string) => `pg-governor-${category}`;

/** Enabled rules grouped by category, in catalog order. */
export function byCategory<R extends { enabled: boolean; definition: { category: string } }>(
  rules: readonly R[],
): [string, R[]][] {
  const groups = new Map<string, R[]>();
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const list = groups.get(rule.definition.category) ?? [];
    list.push(rule);
    groups.set(rule.definition.category, list);
  }
  return [...groups.entries()];
}
