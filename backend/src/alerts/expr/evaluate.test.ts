import {
  and,
  arithmetic,
  constantLabel,
  filter,
  groupBy,
  maxBy,
  metric,
  or,
  rangeCall,
  sumBy,
  unless,
} from '../../catalog/alerts/ast';
import { evaluateExpr, ExpressionError } from './evaluate';
import { increase } from './range-functions';
import { renderPromQL } from './render';
import { SampleView, Series, WindowView } from './vector';

const view = (entries: Record<string, Series[]>): SampleView => new Map(Object.entries(entries));
const none: WindowView = { range: () => [] };
const at = (samples: SampleView, windows: WindowView = none) => ({ samples, windows, now: 600_000 });

describe('expressions', () => {
  it('render to PromQL with parentheses where precedence needs them', () => {
    const expr = filter(
      and(
        maxBy(['target'], metric('a', { kind: 'replay' })),
        filter(maxBy(['target'], metric('b')), '==', 0),
        ['target'],
      ),
      '>=',
      1,
    );
    expect(renderPromQL(expr)).toBe(
      '(max by (target) (a{kind="replay"}) and on (target) (max by (target) (b) == 0)) >= 1',
    );
    expect(renderPromQL(sumBy(['target'], rangeCall('increase', metric('c'), 600)))).toBe(
      'sum by (target) (increase(c[10m]))',
    );
    expect(renderPromQL(maxBy([], metric('d')))).toBe('max(d)');
    expect(renderPromQL(constantLabel(metric('e'), 'family', 'x'))).toBe(
      'label_replace(e, "family", "x", "", "")',
    );
  });

  it('aggregate by labels, dropping the others (job, instance)', () => {
    const samples = view({
      a: [
        { labels: { target: 't', instance: '1' }, value: 2 },
        { labels: { target: 't', instance: '2' }, value: 5 },
        { labels: { target: 'u', instance: '1' }, value: 1 },
      ],
    });
    expect(evaluateExpr(maxBy(['target'], metric('a')), at(samples))).toEqual([
      { labels: { target: 't' }, value: 5 },
      { labels: { target: 'u' }, value: 1 },
    ]);
    expect(evaluateExpr(groupBy(['target'], metric('a')), at(samples))).toHaveLength(2);
  });

  it('match one-to-one on labels, keep only the `on` labels, and refuse ambiguous matches', () => {
    const samples = view({
      a: [{ labels: { target: 't', x: '1' }, value: 3 }],
      b: [{ labels: { target: 't', y: '2' }, value: 4 }],
    });
    expect(evaluateExpr(arithmetic('/', metric('a'), metric('b'), ['target']), at(samples))).toEqual([
      { labels: { target: 't' }, value: 0.75 },
    ]);
    expect(evaluateExpr(arithmetic('/', metric('a'), metric('b')), at(samples))).toEqual([]);
    const twice = view({
      a: samples.get('a') as Series[],
      b: [...(samples.get('b') as Series[]), { labels: { target: 't', y: '3' }, value: 1 }],
    });
    expect(() => evaluateExpr(arithmetic('/', metric('a'), metric('b'), ['target']), at(twice))).toThrow(
      ExpressionError,
    );
  });

  it('filter with and / unless / or', () => {
    const samples = view({
      a: [
        { labels: { target: 't' }, value: 1 },
        { labels: { target: 'u' }, value: 2 },
      ],
      b: [{ labels: { target: 'u' }, value: 0 }],
    });
    expect(
      evaluateExpr(and(metric('a'), metric('b'), ['target']), at(samples)).map((s) => s.labels.target),
    ).toEqual(['u']);
    expect(
      evaluateExpr(unless(metric('a'), metric('b'), ['target']), at(samples)).map((s) => s.labels.target),
    ).toEqual(['t']);
    expect(
      evaluateExpr(or(metric('b'), metric('a')), at(samples)).map((s) => [s.labels.target, s.value]),
    ).toEqual([
      ['u', 0],
      ['t', 1],
    ]);
    expect(evaluateExpr(filter(metric('a'), '>', 1), at(samples))).toEqual([
      { labels: { target: 'u' }, value: 2 },
    ]);
  });

  it('compute NaN comparisons as false, like PromQL', () => {
    const samples = view({ a: [{ labels: { target: 't' }, value: NaN }] });
    expect(evaluateExpr(filter(metric('a'), '>=', 0), at(samples))).toEqual([]);
  });

  it('read ranges from the kept windows', () => {
    const windows: WindowView = {
      range: (name, from, to) =>
        name === 'w'
          ? [
              {
                labels: { target: 't' },
                points: [
                  [0, 1],
                  [300_000, 3],
                  [600_000, 5],
                ].filter(([t]) => (t as number) >= from && (t as number) <= to) as [number, number][],
              },
            ]
          : [],
    };
    expect(evaluateExpr(rangeCall('avg_over_time', metric('w'), 600), at(view({}), windows))).toEqual([
      { labels: { target: 't' }, value: 3 },
    ]);
    expect(evaluateExpr(rangeCall('avg_over_time', metric('w'), 300), at(view({}), windows))[0]?.value).toBe(
      4,
    );
    expect(
      evaluateExpr(rangeCall('stddev_over_time', metric('w'), 600), at(view({}), windows))[0]?.value,
    ).toBeCloseTo(Math.sqrt(8 / 3));
  });
});

describe('increase', () => {
  it('is exact when the samples span the window', () => {
    const points = Array.from({ length: 11 }, (_, i) => [i * 60_000, i * 2] as const);
    expect(increase(points, 0, 600_000)).toBe(20);
  });

  it('counts a counter reset as growth from zero', () => {
    expect(
      increase(
        [
          [0, 5],
          [60_000, 8],
          [120_000, 2],
        ],
        0,
        120_000,
      ),
    ).toBe(5);
  });

  it('extrapolates to the window edges as Prometheus does (half an interval beyond 1.1 intervals)', () => {
    // Samples from 5 to 10 min in a 0-10 min window, starting at 10: not extrapolated below zero.
    const points = Array.from({ length: 6 }, (_, i) => [(5 + i) * 60_000, 10 + i] as const);
    expect(increase(points, 0, 600_000)).toBeCloseTo(5 * (330 / 300));
  });

  it('needs two samples', () => {
    expect(increase([[0, 1]], 0, 60_000)).toBeUndefined();
  });
});
