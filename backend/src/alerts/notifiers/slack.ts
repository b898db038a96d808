import { Logger } from 'pino';
import { AlertsConfig } from '../config-schema';
import { Transition } from '../evaluator';
import { DeliveryOutcome, DeliveryQueue } from './delivery';
import { atLeast, Notifier, SentState } from './notifier';

const ICON = { critical: ':red_circle:', warning: ':large_orange_circle:', info: ':large_blue_circle:' };

/** The message of a transition, Slack mrkdwn. */
export function slackMessage(t: Transition): { text: string } {
  const head =
    t.to === 'resolved'
      ? `:white_check_mark: *[RESOLVED] ${t.alertname}*`
      : `${ICON[t.severity]} *[${t.severity.toUpperCase()}] ${t.alertname}*${t.previousSeverity ? ` (was ${t.previousSeverity})` : ''}`;
  const where = t.labels.target ? ` on ${t.labels.target}` : '';
  return { text: `${head}${where}\n${t.summary}\n${t.to === 'resolved' ? '' : t.description}`.trimEnd() };
}

/** A Slack incoming webhook: a message when an alert fires or changes severity, and when it resolves. */
export class SlackNotifier implements Notifier {
  readonly name = 'slack';
  private readonly sent = new SentState();
  private readonly queue: DeliveryQueue;

  constructor(
    private readonly settings: AlertsConfig['notifiers']['slack'] & { webhook_url: string },
    delivery: { retry: AlertsConfig['notifiers']['retry']; timeoutMs: number; queueMax: number },
    log: Logger,
    onOutcome?: (outcome: DeliveryOutcome) => void,
  ) {
    this.queue = new DeliveryQueue(this.name, delivery, log, onOutcome);
  }

  notify(t: Transition): void {
    if (t.to === 'pending') return;
    if (t.to === 'firing') {
      if (!atLeast(t.severity, this.settings.min_severity) || !this.sent.shouldTrigger(t.key, t.severity))
        return;
    } else if (!this.sent.shouldResolve(t.key)) {
      return;
    }
    this.queue.enqueue({
      url: this.settings.webhook_url,
      body: slackMessage(t),
      description: `${t.to} ${t.key}`,
    });
  }

  drain(): Promise<void> {
    return this.queue.drain();
  }
}
