import { promDuration } from '../../alerts/expr/render';
import { levelsOf } from '../../alerts/rules';
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
import { notificationSettings } from './notification-files';
import { renderAnnotations, ruleLabels } from './prometheus-rules';
import { LinkedRule } from './links';

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
 * An empty result is what the catalog says it is (noData); a query error is an error state, or
 * firing for the dead-man. Linked to its panel as Grafana links rules (dashboardUid, panelId), and
 * routed by its own notification settings: the organisation's policy tree is left alone.
 */
function grafanaRule(rule: LinkedRule, severity: Severity, level: LevelSettings) {
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
          expr: rule.value,
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
    dashboardUid: rule.links.dashboardUid,
    panelId: rule.links.panelId,
    noDataState: rule.definition.noData.state,
    execErrState: rule.execErrState,
    for: promDuration(level.for_s),
    annotations: renderAnnotations(rule, (t) => renderForGrafana(t, rule.definition.unit, level.threshold)),
    labels: ruleLabels(rule, severity),
    isPaused: false,
    notification_settings: notificationSettings(severity),
  };
}

/**
 * provisioning/alerting/rules.yaml. Grafana's rule files name the folder by title only (no uid,
 * up to Grafana 12.3) and create it, with a generated uid, when no folder has that title; the
 * dashboard provider names the same title, so both land in one folder (see FOLDER).
 */
export function grafanaRules(rules: readonly LinkedRule[]) {
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
