import { filter } from '../catalog/alerts/ast';
import { renderPromQL } from './expr/render';
import { Severity } from '../catalog/alerts/types';
import { EffectiveRule } from './rules';

/**
 * The PromQL condition of one level: the measured value compared with the level's threshold. The
 * API shows it and the generated Prometheus and Grafana rules use it, so both say the same thing.
 */
export function conditionExpr(rule: EffectiveRule, severity: Severity): string {
  const level = rule.levels[severity];
  if (!level) throw new Error(`${rule.definition.id} has no ${severity} level`);
  return renderPromQL(filter(rule.value, rule.definition.comparator, level.threshold));
}
