import { DatabaseStatsRow } from './derive';
import { sizesDue, sizesOf, withSizes } from './sizes';

const row = (datname: string, size_bytes: number | null) => ({ datname, size_bytes }) as DatabaseStatsRow;

describe('database sizes read every interval', () => {
  const sizes = sizesOf([row('app', 8_000_000), row('hidden', null)], 1_000_000);
  const TEN_MINUTES = 600_000;

  it('are due when none were read, once the interval has passed, or when the clock went back', () => {
    expect(sizesDue(undefined, 0, TEN_MINUTES)).toBe(true);
    expect(sizesDue(sizes, 1_000_000 + TEN_MINUTES - 1, TEN_MINUTES)).toBe(false);
    expect(sizesDue(sizes, 1_000_000 + TEN_MINUTES, TEN_MINUTES)).toBe(true);
    expect(sizesDue(sizes, 999_999, TEN_MINUTES)).toBe(true);
  });

  it('follow the configured interval', () => {
    expect(sizesDue(sizes, 1_000_000 + 60_000, 60_000)).toBe(true);
    expect(sizesDue(sizes, 1_000_000 + 60_000, 120_000)).toBe(false);
  });

  it('are due when a database has none yet, not for one the role may not see', () => {
    expect(sizesDue(sizes, 1_000_001, TEN_MINUTES, [row('app', null), row('hidden', null)])).toBe(false);
    expect(sizesDue(sizes, 1_000_001, TEN_MINUTES, [row('app', null), row('new', null)])).toBe(true);
  });

  it('fill rows read without them with the sizes read last', () => {
    expect(withSizes([row('app', null), row('hidden', null)], sizes)).toEqual([
      row('app', 8_000_000),
      row('hidden', null),
    ]);
  });
});
