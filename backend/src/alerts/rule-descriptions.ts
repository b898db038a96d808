import { conditionExpr } from './condition-expr';
import { metricNames } from '../catalog/alerts/ast';
import { EffectiveRule, levelsOf } from './rules';
import { Comparator, Runbook, Severity, ValueUnit } from '../catalog/alerts/types';

/** An alert as GET /api/v1/alert-rules shows it: the catalog entry with the thresholds in effect. */
export interface RuleDescription {
  id: string;
  alertname: string;
  category: string;
  component: string;
  enabled: boolean;
  comparator: Comparator;
  unit: ValueUnit;
  instanceLabels: string[];
  params: Record<string, number>;
  levels: { severity: Severity; threshold: number; forSeconds: number; expr: string }[];
  metrics: string[];
  summary: string;
  description: string;
  /** What it means, the first checks (with their SQL) and the safe remediation. */
  runbook: Runbook;
}

export function describeRules(rules: readonly EffectiveRule[]): RuleDescription[] {
  return rules.map((rule) => {
    const d = rule.definition;
    return {
      id: d.id,
      alertname: d.name,
      category: d.category,
      component: d.component,
      enabled: rule.enabled,
      comparator: d.comparator,
      unit: d.unit,
      instanceLabels: d.instanceLabels,
      params: rule.params,
      levels: levelsOf(rule).map(({ severity, level }) => ({
        severity,
        threshold: level.threshold,
        forSeconds: level.for_s,
        expr: conditionExpr(rule, severity),
      })),
      metrics: metricNames(rule.value),
      summary: d.summary,
      description: d.description,
      runbook: d.runbook,
    };
  });
}
