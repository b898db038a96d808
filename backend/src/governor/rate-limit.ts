/** The per-minute limit counts actions in a sliding window of this length. */
export const RATE_WINDOW_MS = 60_000;

/** Actions taken in the window that ends at now. */
export function actionsInWindow(times: readonly number[], now: number): number {
  return times.filter((t) => t > now - RATE_WINDOW_MS && t <= now).length;
}

/** Only the times that can still count, so the list stays bounded by the per-minute limit. */
export function recentTimes(times: readonly number[], now: number): number[] {
  return times.filter((t) => t > now - RATE_WINDOW_MS);
}

/** How many more actions the per-minute limit allows at now. */
export function perMinuteLeft(times: readonly number[], limit: number, now: number): number {
  return Math.max(0, limit - actionsInWindow(times, now));
}
