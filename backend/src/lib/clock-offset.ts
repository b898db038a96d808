/**
 * Moves this process's wall clock (Date.now(), new Date()) by offsetMs, as a host whose clock is
 * off would. For the fault tests only (PGG_TEST_CLOCK_OFFSET_MS): the monotonic clock
 * (performance.now, timers) is left alone, as it is on such a host.
 */
export function offsetWallClock(offsetMs: number): void {
  if (offsetMs === 0) return;
  const RealDate = Date;
  class SkewedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offsetMs);
      else super(...(args as [number]));
    }

    static override now(): number {
      return RealDate.now() + offsetMs;
    }
  }
  globalThis.Date = SkewedDate as DateConstructor;
}
