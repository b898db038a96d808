import { Logger } from 'pino';
import { Counter, Registry } from 'prom-client';
import { AlertsConfig } from '../../config/alerts-schema';
import { Notifier, WebhookNotifier } from './notifier';
import { pagerDutyEvent } from './pagerduty';
import { slackMessage } from './slack';

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
    const routingKey = pagerduty.routing_key;
    // PagerDuty Events API v2: one incident per alert instance (dedup_key), escalated in place, resolved with it.
    notifiers.push(
      new WebhookNotifier(
        'pagerduty',
        {
          url: pagerduty.url,
          minSeverity: pagerduty.min_severity,
          body: (t) => pagerDutyEvent(t, routingKey),
        },
        delivery,
        log,
        (result) => outcomes?.inc({ notifier: 'pagerduty', result }),
      ),
    );
  }
  if (slack.enabled && slack.webhook_url) {
    // A Slack incoming webhook: a message when an alert fires or changes severity, and when it resolves.
    notifiers.push(
      new WebhookNotifier(
        'slack',
        { url: slack.webhook_url, minSeverity: slack.min_severity, body: slackMessage },
        delivery,
        log,
        (result) => outcomes?.inc({ notifier: 'slack', result }),
      ),
    );
  }
  return notifiers;
}
