import { ConstantSeries, FixtureSpec, Labels } from './types';

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
