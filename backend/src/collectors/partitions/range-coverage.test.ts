import { analyseRange, RangePartitionBounds } from './range-coverage';

const DAY = 86_400;
const utc = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
const part = (from: string, to: string): RangePartitionBounds => ({
  from: { value: utc(from), text: from },
  to: { value: utc(to), text: to },
});
/** Monthly partitions Jan..Mar 2024 (upper bound 2024-04-01), listed out of order. */
const monthly = [
  part('2024-03-01', '2024-04-01'),
  part('2024-01-01', '2024-02-01'),
  part('2024-02-01', '2024-03-01'),
];

describe('analyseRange', () => {
  it('finds the oldest and newest bounds and the period from the two newest bounds', () => {
    const analysis = analyseRange(monthly);
    expect(analysis?.oldest).toEqual({ value: utc('2024-01-01'), text: '2024-01-01' });
    expect(analysis?.newest).toEqual({ value: utc('2024-04-01'), text: '2024-04-01' });
    expect(analysis?.period).toBe(31 * DAY); // March
    expect(analysis?.futureCoverage).toBeNull();
    expect(analysis?.missingNext).toBeNull();
  });

  it('reports the next month missing when partitions stop at the current month', () => {
    const now = utc('2024-03-15');
    const analysis = analyseRange(monthly, now);
    expect(analysis?.futureCoverage).toBe(utc('2024-04-01') - now);
    expect(analysis?.missingNext).toBe(true);
  });

  it('does not when the next month exists, even late in a short month', () => {
    const withApril = [...monthly, part('2024-04-01', '2024-05-01')];
    expect(analyseRange(withApril, utc('2024-03-31') + 3600)?.missingNext).toBe(false);
    expect(analyseRange(withApril, utc('2024-03-01'))?.missingNext).toBe(false);
    // Late February: March + April present.
    expect(analyseRange(withApril, utc('2024-02-29'))?.missingNext).toBe(false);
  });

  it('reports missing when every partition is in the past, with negative coverage', () => {
    const now = utc('2024-06-10');
    const analysis = analyseRange(monthly, now);
    expect(analysis?.missingNext).toBe(true);
    expect(analysis?.futureCoverage).toBe(utc('2024-04-01') - now);
    expect(analysis?.futureCoverage).toBeLessThan(0);
  });

  it('uses now + period when no partition holds now', () => {
    // A gap at now (May), June present: the next period (now + 1 month) is covered.
    const gap = [...monthly, part('2024-06-01', '2024-07-01')];
    expect(analyseRange(gap, utc('2024-05-10'))?.missingNext).toBe(false);
    // Only partitions far ahead: the next period is not covered.
    expect(
      analyseRange([part('2025-01-01', '2025-02-01'), part('2025-02-01', '2025-03-01')], utc('2024-05-10'))
        ?.missingNext,
    ).toBe(true);
  });

  it('treats a MAXVALUE upper bound as covered for ever', () => {
    const open = [
      part('2024-01-01', '2024-02-01'),
      { from: { value: utc('2024-02-01'), text: '2024-02-01' }, to: { value: Infinity, text: 'MAXVALUE' } },
    ];
    const analysis = analyseRange(open, utc('2030-01-01'));
    expect(analysis?.newest.text).toBe('MAXVALUE');
    expect(analysis?.futureCoverage).toBeNull();
    expect(analysis?.missingNext).toBe(false);
    expect(analysis?.period).toBe(31 * DAY); // from the finite bounds
  });

  it('infers the period from a single partition, and not at all from MINVALUE alone', () => {
    expect(analyseRange([part('2024-01-01', '2024-01-02')], utc('2024-01-01') + 10)?.period).toBe(DAY);
    const fromMin = {
      from: { value: -Infinity, text: 'MINVALUE' },
      to: { value: utc('2024-01-01'), text: '2024-01-01' },
    };
    const analysis = analyseRange([fromMin], utc('2023-06-01'));
    expect(analysis?.period).toBeNull();
    expect(analysis?.oldest.text).toBe('MINVALUE');
    // Now is inside the MINVALUE partition: its upper bound starts the next period, which is missing.
    expect(analysis?.missingNext).toBe(true);
  });

  it('has nothing to say about a table without partitions', () => {
    expect(analyseRange([], 0)).toBeUndefined();
  });
});
