import { Logger } from 'pino';
import { Counter, Registry } from 'prom-client';
import { AlertsConfig } from '../config-schema';
import { Notifier } from './notifier';
import { PagerDutyNotifier } from './pagerduty';
import { SlackNotifier } from './slack';

export type { Notifier } from './notifier';

/** The direct notifiers the configuration enables (none by default), with their delivery counter. */
export function createNotifiers(
  config: AlertsConfig['notifiers'],
  log: Logger,
  registry?: Registry,
): Notifier[] {
  const outcomes = registry
    ? new Counter({
        name: 'pgg_alert_notifications_total',
        help: 'Direct alert notifications by notifier and result (sent, failed after retries, dropped from a full queue)',
        labelNames: ['notifier', 'result'],
        registers: [registry],
      })
    : undefined;
  const delivery = { retry: config.retry, timeoutMs: config.timeout_ms, queueMax: config.queue_max };
  const notifiers: Notifier[] = [];
  const { pagerduty, slack } = config;
  if (pagerduty.enabled && pagerduty.routing_key) {
    notifiers.push(
      new PagerDutyNotifier({ ...pagerduty, routing_key: pagerduty.routing_key }, delivery, log, (result) =>
        outcomes?.inc({ notifier: 'pagerduty', result }),
      ),
    );
  }
  if (slack.enabled && slack.webhook_url) {
    notifiers.push(
      new SlackNotifier({ ...slack, webhook_url: slack.webhook_url }, delivery, log, (result) =>
        outcomes?.inc({ notifier: 'slack', result }),
      ),
    );
  }
  return notifiers;
}
