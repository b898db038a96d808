import { goG4, humanize, humanize1024, humanizeDuration, humanizePercentage } from './humanize';

/** Expected strings are what Prometheus' template functions print (Go's %.4g underneath). */
describe('Prometheus-compatible humanizers', () => {
  it('formats like Go %.4g', () => {
    expect(goG4(80)).toBe('80');
    expect(goG4(0.5)).toBe('0.5');
    expect(goG4(1234.4)).toBe('1234');
    expect(goG4(12345)).toBe('1.234e+04');
    expect(goG4(0.00012)).toBe('0.00012');
    expect(goG4(0.000012)).toBe('1.2e-05');
    expect(goG4(Infinity)).toBe('+Inf');
  });

  it('humanizes with SI and binary prefixes, durations and percentages', () => {
    expect(humanize(100000)).toBe('100k');
    expect(humanize(0)).toBe('0');
    expect(humanize(0.25)).toBe('250m');
    expect(humanize1024(1073741824)).toBe('1Gi');
    expect(humanize1024(1)).toBe('1');
    expect(humanizeDuration(300)).toBe('5m 0s');
    expect(humanizeDuration(1800)).toBe('30m 0s');
    expect(humanizeDuration(90061)).toBe('1d 1h 1m 1s');
    expect(humanizeDuration(29)).toBe('29s');
    expect(humanizeDuration(-5)).toBe('-5s');
    expect(humanizeDuration(0)).toBe('0s');
    expect(humanizeDuration(0.5)).toBe('500ms');
    expect(humanizePercentage(0.95)).toBe('95%');
    expect(humanizePercentage(0.21000000000000002)).toBe('21%');
  });
});

it('rounds exact ties to even, as Go does', () => {
  expect(goG4(12.125)).toBe('12.12');
  expect(goG4(12.375)).toBe('12.38');
  expect(goG4(-0.5)).toBe('-0.5');
  expect(goG4(1000)).toBe('1000');
  expect(goG4(10)).toBe('10');
  expect(goG4(99.99)).toBe('99.99');
  expect(goG4(0.0001)).toBe('0.0001');
});
