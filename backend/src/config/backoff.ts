import { BackoffSettings } from '../lib/backoff';

/** A section's initial_backoff_ms and max_backoff_ms (reconnect, alerts.notifiers.retry) as backoff settings. */
export function backoffSettings(section: {
  initial_backoff_ms: number;
  max_backoff_ms: number;
}): BackoffSettings {
  return { initialMs: section.initial_backoff_ms, maxMs: section.max_backoff_ms };
}
