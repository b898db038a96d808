import { DAY_MS, daysFrom, utcDay } from './partitions';

describe('partition days', () => {
  it('names UTC days', () => {
    expect(utcDay(Date.UTC(2024, 1, 29, 23, 59, 59, 999))).toBe('2024-02-29');
    expect(utcDay(Date.UTC(2024, 2, 1))).toBe('2024-03-01');
    expect(utcDay(0)).toBe('1970-01-01');
  });

  it('lists consecutive days', () => {
    expect(daysFrom(Date.UTC(2023, 11, 31, 12), 3)).toEqual(['2023-12-31', '2024-01-01', '2024-01-02']);
    expect(daysFrom(5 * DAY_MS, 0)).toEqual([]);
  });
});
