/**
 * The interval Grafana 12 sends with a panel's query (`intervalMs`, `$__interval`), as its
 * rangeUtil.calculateInterval computes it: the range divided by the panel's max data points (or
 * its width in pixels), rounded to a "nice" interval, and never below the panel's Min interval
 * (the panel JSON's `interval`). Tests and benches send what Grafana would for a generated panel.
 */

/** [below this many ms, Grafana rounds to this many ms], in order. */
const NICE: readonly (readonly [number, number])[] = [
  [10, 1],
  [15, 10],
  [35, 20],
  [75, 50],
  [150, 100],
  [350, 200],
  [750, 500],
  [1_500, 1_000],
  [3_500, 2_000],
  [7_500, 5_000],
  [12_500, 10_000],
  [17_500, 15_000],
  [25_000, 20_000],
  [45_000, 30_000],
  [90_000, 60_000],
  [210_000, 120_000],
  [450_000, 300_000],
  [750_000, 600_000],
  [1_050_000, 900_000],
  [1_500_000, 1_200_000],
  [2_700_000, 1_800_000],
  [5_400_000, 3_600_000],
  [9_000_000, 7_200_000],
  [16_200_000, 10_800_000],
  [32_400_000, 21_600_000],
  [86_400_000, 43_200_000],
  [604_800_000, 86_400_000],
  [1_814_400_000, 604_800_000],
  [3_628_800_000, 2_592_000_000],
];
const YEAR_MS = 31_536_000_000;

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** A Grafana interval string ("1m", "30s", a bare number of seconds) in ms. */
export function intervalMs(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d|w)?$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not an interval Grafana reads (e.g. 30s, 1m, 1h)`);
  return Number(match[1]) * (UNIT_MS[match[2] ?? 's'] as number);
}

/** Grafana's rounding of a raw interval (ms) to a nice one. */
export function roundInterval(ms: number): number {
  for (const [below, nice] of NICE) if (ms < below) return nice;
  return YEAR_MS;
}

/** What Grafana sends as intervalMs for a panel over spanMs with maxDataPoints and a Min interval. */
export function grafanaIntervalMs(spanMs: number, maxDataPoints: number, minInterval?: string): number {
  const nice = roundInterval(spanMs / maxDataPoints);
  return minInterval ? Math.max(nice, intervalMs(minInterval)) : nice;
}
