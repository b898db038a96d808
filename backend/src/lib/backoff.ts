/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so that many
 * backends retrying one server do not reconnect in lockstep, yet none retries too soon.
 */
export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
}

export function backoffDelay(
  failures: number,
  settings: BackoffSettings,
  random: () => number = Math.random,
): number {
  if (failures <= 0) return 0;
  const ceiling = Math.min(settings.maxMs, settings.initialMs * 2 ** Math.min(failures - 1, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
