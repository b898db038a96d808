import { ConstantSeries, FixtureSpec, Labels, NoDataPolicy } from './types';

/** Fixtures of an alert whose value is one metric of one instance: the metric holds the value. */
export function singleMetricFixture(metric: string, instance: Labels, epsilon: number): FixtureSpec {
  return {
    kind: 'value',
    instance,
    epsilon,
    inputs: (value): ConstantSeries[] => [{ metric, labels: instance, value }],
  };
}

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

/** The fixture target: every fixture instance is on it. */
export const T = { target: 'db1' };

/** A statement as written in the source (a template literal), without its common indentation. */
export function sql(strings: TemplateStringsArray): string {
  const lines = strings.raw.join('').split('\n');
  while (lines.length > 0 && (lines[0] ?? '').trim() === '') lines.shift();
  while (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/**
 * Grafana's noDataState, by what an empty query means. Prometheus rules have no such state: there
 * a silent backend is the dead-man's alert's to report (scrape.ts).
 */
export const NO_DATA = {
  blind: {
    state: 'NoData',
    why: 'Every watched target exports these series while the backend reaches it: an empty result means PG Governor or Prometheus lost sight of the fleet, not that all is well.',
  },
  onlyWhereItExists: {
    state: 'OK',
    why: "Exported only where the measured thing exists (an open transaction, a replica, a slot, a PgBouncer, a partitioned table, an unused index, the governor, a primary's statistics): no series is the normal state of a fleet without it.",
  },
  onlyWhileWrong: {
    state: 'OK',
    why: 'The expression keeps only series that pass a secondary condition or have a baseline to compare with: an empty result is the healthy state (and the first hours after the backend starts).',
  },
} satisfies Record<string, NoDataPolicy>;
