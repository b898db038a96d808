import { promDuration } from '../../alerts/expr/render';
import { levelsOf } from '../../alerts/rules';
import { renderForPrometheus } from '../../alerts/templates';
import { AlertDescription, Severity } from '../../catalog/alerts/types';
import { byCategory, groupName } from './names';
import { LinkedRule } from './links';

export function ruleLabels(
  rule: { definition: AlertDescription },
  severity: Severity,
): Record<string, string> {
  const d = rule.definition;
  return { severity, category: d.category, component: d.component, pgg_alert: d.id };
}

/**
 * Annotations as the backend words them, from neutral templates rendered per tool; the keys
 * Grafana and Alertmanager integrations know (summary, description, runbook_url), and the panel.
 */
export function renderAnnotations(
  rule: LinkedRule,
  render: (template: string) => string,
): Record<string, string> {
  return {
    summary: render(rule.definition.summary),
    description: render(rule.definition.description),
    runbook_url: rule.links.runbookUrl,
    dashboard_url: render(rule.links.dashboardUrl),
  };
}

/** prometheus/pg-governor.rules.yml: one alerting rule per alert and severity. */
export function prometheusRules(rules: readonly LinkedRule[]) {
  return {
    groups: byCategory(rules).map(([category, list]) => ({
      name: groupName(category),
      rules: list.flatMap((rule) =>
        levelsOf(rule).map(({ severity, level }) => ({
          alert: rule.definition.name,
          expr: rule.condition(severity),
          for: promDuration(level.for_s),
          labels: ruleLabels(rule, severity),
          annotations: renderAnnotations(rule, (t) =>
            renderForPrometheus(t, rule.definition.unit, level.threshold),
          ),
        })),
      ),
    })),
  };
}
