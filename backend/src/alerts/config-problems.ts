import { CONFIGURABLE_ALERTS } from '../catalog/alerts';
import { AlertsConfig } from '../config/alerts-schema';
import { AlertDescription, SEVERITIES } from '../catalog/alerts/types';

export interface AlertConfigProblem {
  path: string;
  message: string;
}

/** Higher severities must sit past lower ones in the alert's direction (warning 0.8 < critical 0.95 for >=). */
function levelOrderProblems(alert: AlertDescription, rules: AlertsConfig['rules']): AlertConfigProblem[] {
  const rule = rules[alert.id];
  if (!rule) return [];
  const rising = alert.comparator === '>=' || alert.comparator === '>';
  const set = SEVERITIES.filter((s) => rule[s] !== undefined);
  const problems: AlertConfigProblem[] = [];
  for (let i = 1; i < set.length; i++) {
    const lower = set[i - 1] as (typeof SEVERITIES)[number];
    const higher = set[i] as (typeof SEVERITIES)[number];
    const a = rule[lower]?.threshold as number;
    const b = rule[higher]?.threshold as number;
    if (rising ? !(a < b) : !(a > b)) {
      problems.push({
        path: `alerts.rules.${alert.id}.${higher}.threshold`,
        message: `must be ${rising ? 'above' : 'below'} the ${lower} threshold (${a}): the alert fires when the value is ${alert.comparator} the threshold`,
      });
    }
  }
  return problems;
}

/** What the schema cannot say: level order, and an enabled notifier without its key or URL. */
export function alertConfigProblems(alerts: AlertsConfig): AlertConfigProblem[] {
  const problems = CONFIGURABLE_ALERTS.flatMap((alert) => levelOrderProblems(alert, alerts.rules));
  const { pagerduty, slack } = alerts.notifiers;
  if (pagerduty.enabled && !pagerduty.routing_key)
    problems.push({
      path: 'alerts.notifiers.pagerduty.routing_key',
      message: 'is required when the notifier is enabled',
    });
  if (slack.enabled && !slack.webhook_url)
    problems.push({
      path: 'alerts.notifiers.slack.webhook_url',
      message: 'is required when the notifier is enabled',
    });
  for (const [name, url] of [
    ['pagerduty.url', pagerduty.url],
    ['slack.webhook_url', slack.webhook_url],
  ] as const) {
    if (url !== undefined && !/^https?:\/\//.test(url))
      problems.push({ path: `alerts.notifiers.${name}`, message: 'must be an http:// or https:// URL' });
  }
  return problems;
}
