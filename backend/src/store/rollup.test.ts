import { redoSpans } from './rollup';

const M = 60_000;

describe('redoSpans', () => {
  it('widens late spans to whole minutes plus the 15 minutes whose rates they change', () => {
    expect(redoSpans([{ from: 10 * M + 5_000, to: 12 * M + 30_000 }], 100 * M)).toEqual([
      { from: 10 * M, to: 28 * M },
    ]);
  });

  it('merges overlapping spans and keeps separate ones apart, in time order', () => {
    const spans = redoSpans(
      [
        { from: 50 * M, to: 50 * M },
        { from: 10 * M, to: 10 * M },
        { from: 20 * M, to: 21 * M },
      ],
      100 * M,
    );
    expect(spans).toEqual([
      { from: 10 * M, to: 37 * M },
      { from: 50 * M, to: 66 * M },
    ]);
  });

  it('stops where the rollups end: later minutes are rolled up for the first time anyway', () => {
    expect(redoSpans([{ from: 95 * M, to: 99 * M }], 100 * M)).toEqual([{ from: 95 * M, to: 100 * M }]);
    expect(redoSpans([{ from: 100 * M, to: 120 * M }], 100 * M)).toEqual([]);
  });
});
