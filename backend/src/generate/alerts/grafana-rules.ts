import { promDuration, renderPromQL } from '../../alerts/expr/render';
import { EffectiveRule, levelsOf } from '../../alerts/rules';
import { renderForGrafana } from '../../alerts/templates';
import { Comparator, LevelSettings, Severity } from '../../catalog/alerts/types';
import { FOLDER, PROMETHEUS_DATASOURCE_UID } from '../dashboards/model';
import {
  byCategory,
  EXPRESSION_DATASOURCE_UID,
  grafanaRuleTitle,
  grafanaRuleUid,
  groupName,
  RULE_GROUP_INTERVAL,
} from './names';
import { renderAnnotations, ruleLabels } from './prometheus-rules';

/** Grafana's threshold expression types (gte/lte: Grafana 11.6+). */
const THRESHOLD_TYPE: Record<Comparator, string> = {
  '>=': 'gte',
  '>': 'gt',
  '<=': 'lte',
  '<': 'lt',
  '==': 'eq',
};

/**
 * One Grafana-managed rule: A, the measured value (the same PromQL as the Prometheus rule, before
 * its comparison) as an instant query; B, its last value per series; C, the level's threshold on B.
 * No data is normal (nothing measured, nothing to alert on); a query error is an error state.
 */
function grafanaRule(rule: EffectiveRule, severity: Severity, level: LevelSettings) {
  const expressionSource = { type: '__expr__', uid: EXPRESSION_DATASOURCE_UID };
  return {
    uid: grafanaRuleUid(rule, severity),
    title: grafanaRuleTitle(rule, severity),
    condition: 'C',
    data: [
      {
        refId: 'A',
        relativeTimeRange: { from: 600, to: 0 },
        datasourceUid: PROMETHEUS_DATASOURCE_UID,
        model: {
          refId: 'A',
          datasource: { type: 'prometheus', uid: PROMETHEUS_DATASOURCE_UID },
          expr: renderPromQL(rule.value),
          instant: true,
          range: false,
          intervalMs: 1000,
          maxDataPoints: 43200,
        },
      },
      {
        refId: 'B',
        datasourceUid: EXPRESSION_DATASOURCE_UID,
        model: {
          refId: 'B',
          datasource: expressionSource,
          type: 'reduce',
          expression: 'A',
          reducer: 'last',
          settings: { mode: 'dropNN' },
        },
      },
      {
        refId: 'C',
        datasourceUid: EXPRESSION_DATASOURCE_UID,
        model: {
          refId: 'C',
          datasource: expressionSource,
          type: 'threshold',
          expression: 'B',
          conditions: [
            { evaluator: { type: THRESHOLD_TYPE[rule.definition.comparator], params: [level.threshold] } },
          ],
        },
      },
    ],
    noDataState: 'OK',
    execErrState: 'Error',
    for: promDuration(level.for_s),
    annotations: renderAnnotations(rule, (t) => renderForGrafana(t, rule.definition.unit, level.threshold)),
    labels: ruleLabels(rule, severity),
    isPaused: false,
  };
}

/** provisioning/alerting/rules.yaml */
export function grafanaRules(rules: readonly EffectiveRule[]) {
  return {
    apiVersion: 1,
    groups: byCategory(rules).map(([category, list]) => ({
      orgId: 1,
      name: groupName(category),
      folder: FOLDER,
      interval: RULE_GROUP_INTERVAL,
      rules: list.flatMap((rule) =>
        levelsOf(rule).map(({ severity, level }) => grafanaRule(rule, severity, level)),
      ),
    })),
  };
}
