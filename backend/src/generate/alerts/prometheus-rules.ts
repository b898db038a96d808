import { conditionExpr } from '../../alerts/condition-expr';
import { promDuration } from '../../alerts/expr/render';
import { EffectiveRule, levelsOf } from '../../alerts/rules';
import { renderForPrometheus } from '../../alerts/templates';
import { Severity } from '../../catalog/alerts/types';
import { byCategory, dashboardLinkTemplate, groupName } from './names';

export function ruleLabels(rule: EffectiveRule, severity: Severity): Record<string, string> {
  const d = rule.definition;
  return { severity, category: d.category, component: d.component, pgg_alert: d.id };
}

/** Annotations as the backend words them, from neutral templates rendered per tool. */
export function renderAnnotations(
  rule: EffectiveRule,
  render: (template: string) => string,
): Record<string, string> {
  return {
    summary: render(rule.definition.summary),
    description: render(rule.definition.description),
    runbook: render(rule.definition.runbook),
    dashboard: render(dashboardLinkTemplate(rule)),
  };
}

/** prometheus/pg-governor.rules.yml: one alerting rule per alert and severity. */
export function prometheusRules(rules: readonly EffectiveRule[]) {
  return {
    groups: byCategory(rules).map(([category, list]) => ({
      name: groupName(category),
      rules: list.flatMap((rule) =>
        levelsOf(rule).map(({ severity, level }) => ({
          alert: rule.definition.name,
          expr: conditionExpr(rule, severity),
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
