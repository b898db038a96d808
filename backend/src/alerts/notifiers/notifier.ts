import { Logger } from 'pino';
import { AlertsConfig } from '../../config/alerts-schema';
import { Transition } from '../evaluator';
import { Severity, SEVERITIES } from '../../catalog/alerts/types';
import { DeliveryOutcome, DeliveryQueue } from './delivery';

/** A direct notifier (for users without Grafana alerting): told every transition, decides what to send. */
export interface Notifier {
  readonly name: string;
  notify(transition: Transition): void;
  /** Waits for what is queued (shutdown, tests). */
  drain(): Promise<void>;
}

export const atLeast = (severity: Severity, minimum: Severity) =>
  SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(minimum);

/**
 * Dedupe for a notifier: what was last sent per alert instance, so that a repeated transition (the
 * same firing severity again, a resolve with nothing open) sends nothing.
 */
export class SentState {
  private readonly open = new Map<string, Severity>();

  /** True when a trigger at this severity is news for the instance. */
  shouldTrigger(key: string, severity: Severity): boolean {
    if (this.open.get(key) === severity) return false;
    this.open.set(key, severity);
    return true;
  }

  /** True when the instance had been triggered (then it is closed). */
  shouldResolve(key: string): boolean {
    return this.open.delete(key);
  }
}

export interface DeliverySettings {
  retry: AlertsConfig['notifiers']['retry'];
  timeoutMs: number;
  queueMax: number;
}

/**
 * A notifier that POSTs JSON to one URL: a trigger when an alert fires at or above min_severity
 * (again on a severity change), a resolve when a triggered one resolves; queued with retry.
 */
export class WebhookNotifier implements Notifier {
  private readonly sent = new SentState();
  private readonly queue: DeliveryQueue;

  constructor(
    readonly name: string,
    private readonly target: { url: string; minSeverity: Severity; body: (t: Transition) => unknown },
    delivery: DeliverySettings,
    log: Logger,
    onOutcome?: (outcome: DeliveryOutcome) => void,
  ) {
    this.queue = new DeliveryQueue(name, delivery, log, onOutcome);
  }

  notify(t: Transition): void {
    if (t.to === 'pending') return;
    if (t.to === 'firing') {
      if (!atLeast(t.severity, this.target.minSeverity) || !this.sent.shouldTrigger(t.key, t.severity))
        return;
    } else if (!this.sent.shouldResolve(t.key)) {
      return;
    }
    this.queue.enqueue({ url: this.target.url, body: this.target.body(t), description: `${t.to} ${t.key}` });
  }

  drain(): Promise<void> {
    return this.queue.drain();
  }
}
