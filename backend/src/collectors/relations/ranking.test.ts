import { rankingDue, rankingOf } from './ranking';

const HOUR = 3_600_000;
const topN = { relations: 2, indexes: 2 };
const full = rankingOf([{ oid: 11 }, { oid: '12' }], [{ oid: 21 }, { oid: 22 }], 0, topN);

describe('rankingDue: the Top-N by size every size_ranking.interval_s', () => {
  it('keeps the oids, as numbers, best first', () => {
    expect(full).toEqual({ at: 0, topN, relations: [11, 12], indexes: [21, 22] });
  });

  it('ranks when nothing was ranked yet, and again once the interval has passed', () => {
    expect(rankingDue(undefined, 0, HOUR, topN)).toBe(true);
    expect(rankingDue(full, 600_000, HOUR, topN)).toBe(false);
    expect(rankingDue(full, HOUR - 1, HOUR, topN)).toBe(false);
    expect(rankingDue(full, HOUR, HOUR, topN)).toBe(true);
  });

  it('ranks when the clock went back', () => {
    expect(
      rankingDue(rankingOf([{ oid: 1 }, { oid: 2 }], [{ oid: 3 }, { oid: 4 }], HOUR, topN), 0, HOUR, topN),
    ).toBe(true);
  });

  it('ranks when the Top-N changed', () => {
    expect(rankingDue(full, 600_000, HOUR, { relations: 3, indexes: 2 })).toBe(true);
    expect(rankingDue(full, 600_000, HOUR, { relations: 2, indexes: 1 })).toBe(true);
  });

  it('ranks every cycle while there were fewer relations or indexes than N: a new one belongs in the Top-N', () => {
    expect(
      rankingDue(rankingOf([{ oid: 11 }], [{ oid: 21 }, { oid: 22 }], 0, topN), 600_000, HOUR, topN),
    ).toBe(true);
    expect(rankingDue(rankingOf([{ oid: 11 }, { oid: 12 }], [], 0, topN), 600_000, HOUR, topN)).toBe(true);
  });
});
