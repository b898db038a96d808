/**
 * Counters are served as per-second rates, so their unit changes: a count becomes counts per
 * second, bytes become bytes per second, and seconds per second is a share of one busy backend.
 */
const RATE_UNITS: Record<string, string> = {
  short: 'cps',
  none: 'cps',
  bytes: 'Bps',
  decbytes: 'Bps',
  s: 'percentunit',
};

/** The Grafana unit of a counter's rate. */
export function rateUnit(unit: string): string {
  return RATE_UNITS[unit] ?? 'short';
}
