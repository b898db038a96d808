import { Logger } from 'pino';
import { backoffSettings } from '../../config/backoff';
import { backoffDelay } from '../../lib/backoff';
import { NotifierRetryConfig } from '../../config/alerts-schema';

export interface HttpRequest {
  url: string;
  body: unknown;
  /** For logs and dedupe: what this request is about (never the URL, which may hold a secret). */
  description: string;
}

export type DeliveryOutcome = 'sent' | 'failed' | 'dropped';

/** Retry on these; any other 4xx means the request itself is wrong and will not improve. */
const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

function retryAfterMs(header: string | null): number {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, 300_000) : 0;
}

/**
 * One notifier's outbox: requests go out one at a time, in order (a resolve never overtakes its
 * trigger), each retried with exponential backoff and jitter on network errors, timeouts, 429 and
 * 5xx, up to max_attempts. Bounded: when full, the oldest waiting request is dropped and counted.
 * Never throws to the caller.
 */
export class DeliveryQueue {
  private readonly queue: HttpRequest[] = [];
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly name: string,
    private readonly settings: { retry: NotifierRetryConfig; timeoutMs: number; queueMax: number },
    private readonly log: Logger,
    private readonly onOutcome: (outcome: DeliveryOutcome) => void = () => undefined,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms).unref()),
  ) {}

  enqueue(request: HttpRequest): void {
    if (this.closed) return;
    if (this.queue.length >= this.settings.queueMax) {
      const dropped = this.queue.shift();
      this.log.warn(
        { notifier: this.name, request: dropped?.description },
        'notification queue full: oldest dropped',
      );
      this.onOutcome('dropped');
    }
    this.queue.push(request);
    this.running ??= this.run().finally(() => (this.running = undefined));
  }

  /** Resolves once everything queued has been sent or given up on. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops taking requests; what is queued still goes out (or gives up) before drain() resolves. */
  close(): void {
    this.closed = true;
  }

  private async run(): Promise<void> {
    for (let request = this.queue.shift(); request; request = this.queue.shift()) {
      this.onOutcome(await this.deliver(request));
    }
  }

  private async deliver(request: HttpRequest): Promise<DeliveryOutcome> {
    const { retry, timeoutMs } = this.settings;
    for (let attempt = 1; ; attempt++) {
      let problem: string;
      let waitAtLeast = 0;
      try {
        const response = await fetch(request.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(request.body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return 'sent';
        problem = `HTTP ${response.status}`;
        if (!retryable(response.status)) {
          this.log.error(
            { notifier: this.name, request: request.description, status: response.status },
            'notification refused',
          );
          return 'failed';
        }
        waitAtLeast = retryAfterMs(response.headers.get('retry-after'));
      } catch (error) {
        problem =
          (error as Error).name === 'TimeoutError'
            ? `no answer within ${timeoutMs} ms`
            : (error as Error).message;
      }
      if (attempt >= retry.max_attempts) {
        this.log.error(
          { notifier: this.name, request: request.description, attempts: attempt, err: problem },
          'notification failed',
        );
        return 'failed';
      }
      const delay = Math.max(waitAtLeast, backoffDelay(attempt, backoffSettings(retry)));
      this.log.warn(
        { notifier: this.name, request: request.description, attempt, retryInMs: delay, err: problem },
        'notification failed, retrying',
      );
      await this.sleep(delay);
    }
  }
}
