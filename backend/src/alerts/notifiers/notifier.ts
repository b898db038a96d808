import { Transition } from '../evaluator';
import { Severity, SEVERITIES } from '../types';

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
