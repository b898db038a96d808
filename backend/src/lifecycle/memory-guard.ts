import { Logger } from 'pino';

/** Above this share of the ceiling the process reports itself degraded. */
export const PRESSURE_RATIO = 0.85;

export interface MemoryStatus {
  rssBytes: number;
  limitBytes: number;
  underPressure: boolean;
}

/**
 * Self-preservation: a monitoring agent must not become the thing that takes a host down. The
 * guard samples RSS; past 85 % of the ceiling the service is degraded (visible in /readyz and
 * /metrics), past the ceiling it asks for an orderly exit so that its supervisor restarts it.
 */
export class MemoryGuard {
  private timer: NodeJS.Timeout | undefined;
  private status: MemoryStatus;

  constructor(
    private readonly limitBytes: number,
    private readonly log: Logger,
    private readonly onExceeded: () => void,
    private readonly rss: () => number = () => process.memoryUsage.rss(),
  ) {
    this.status = { rssBytes: 0, limitBytes, underPressure: false };
  }

  start(intervalMs = 5000): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  current(): MemoryStatus {
    return this.status;
  }

  sample(): MemoryStatus {
    const rssBytes = this.rss();
    const underPressure = rssBytes > this.limitBytes * PRESSURE_RATIO;
    const mb = Math.round(rssBytes / 1048576);
    if (underPressure && !this.status.underPressure)
      this.log.warn({ rssMb: mb }, 'memory pressure: degraded');
    if (!underPressure && this.status.underPressure) this.log.info({ rssMb: mb }, 'memory pressure relieved');
    this.status = { rssBytes, limitBytes: this.limitBytes, underPressure };
    if (rssBytes > this.limitBytes) {
      this.log.error(
        { rssMb: mb, limitMb: Math.round(this.limitBytes / 1048576) },
        'memory ceiling exceeded: exiting',
      );
      this.stop();
      this.onExceeded();
    }
    return this.status;
  }
}
