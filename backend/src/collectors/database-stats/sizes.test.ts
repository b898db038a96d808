import { DatabaseStatsRow } from './derive';
import { SIZE_REFRESH_MS, sizesDue, sizesOf, withSizes } from './sizes';

const row = (datname: string, size_bytes: number | null) => ({ datname, size_bytes }) as DatabaseStatsRow;

describe('database sizes read every SIZE_REFRESH_MS', () => {
  const sizes = sizesOf([row('app', 8_000_000), row('hidden', null)], 1_000_000);

  it('are due when none were read, once the interval has passed, or when the clock went back', () => {
    expect(sizesDue(undefined, 0)).toBe(true);
    expect(sizesDue(sizes, 1_000_000 + SIZE_REFRESH_MS - 1)).toBe(false);
    expect(sizesDue(sizes, 1_000_000 + SIZE_REFRESH_MS)).toBe(true);
    expect(sizesDue(sizes, 999_999)).toBe(true);
  });

  it('are due when a database has none yet, not for one the role may not see', () => {
    expect(sizesDue(sizes, 1_000_001, [row('app', null), row('hidden', null)])).toBe(false);
    expect(sizesDue(sizes, 1_000_001, [row('app', null), row('new', null)])).toBe(true);
  });

  it('fill rows read without them with the sizes read last', () => {
    expect(withSizes([row('app', null), row('hidden', null)], sizes)).toEqual([
      row('app', 8_000_000),
      row('hidden', null),
    ]);
  });
});
