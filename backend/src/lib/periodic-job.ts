/**
 * A background job: run on demand and on an interval (an unref'd timer, so it never keeps the
 * process alive), one run at a time (a caller during a run gets that run's promise). A run that
 * fails rejects its callers only: the timer and stop() ignore it (the job reports its own errors).
 */
export class PeriodicJob<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;

  constructor(
    private readonly run: () => Promise<T>,
    private readonly intervalMs: number,
  ) {}

  runOnce(): Promise<T> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.runOnce().catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a run under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}
