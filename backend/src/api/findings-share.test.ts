import { CheckStatus, FindingRecord } from '../findings/types';
import { FINDINGS_REFRESH_MS, findingsToShare } from './findings-share';

const finding = (target: string, lastSeen: number, severity: FindingRecord['severity'] = 'warning') =>
  ({
    id: `${target}-1`,
    key: 'k',
    kind: 'idle_in_transaction',
    target,
    state: 'open',
    severity,
    firstSeen: 1000,
    lastSeen,
  }) as FindingRecord;

const check = (target: string, lastRunAt: number): CheckStatus => ({
  target,
  kind: 'idle_in_transaction',
  state: 'ok',
  lastRunAt,
  open: 1,
});

function engine(records: FindingRecord[], checks: CheckStatus[]) {
  return { findings: () => records, checks: () => checks };
}

describe('findingsToShare', () => {
  it('publishes an owned target once, again only when more than its times changed or after a minute', () => {
    const published = new Map<string, { digest: string; at: number }>();
    const owned = new Set(['a', 'b']);
    const first = findingsToShare(
      engine([finding('a', 1), finding('c', 1)], [check('a', 1)]),
      owned,
      published,
      0,
    );
    // b has nothing yet: published empty, so that a reader sees its findings gone; c is not owned.
    expect(first.rows.map((r) => [r.target, r.findings.length, r.checks.length])).toEqual([
      ['a', 1, 1],
      ['b', 0, 0],
    ]);
    first.commit();

    const timesOnly = findingsToShare(engine([finding('a', 2)], [check('a', 2)]), owned, published, 1000);
    expect(timesOnly.rows).toEqual([]);

    const escalated = findingsToShare(
      engine([finding('a', 3, 'critical')], [check('a', 3)]),
      owned,
      published,
      2000,
    );
    expect(escalated.rows.map((r) => r.target)).toEqual(['a']);
    // Not committed (the store did not take it): offered again.
    expect(
      findingsToShare(engine([finding('a', 3, 'critical')], [check('a', 3)]), owned, published, 2500).rows,
    ).toHaveLength(1);

    const refreshed = findingsToShare(
      engine([finding('a', 4)], [check('a', 4)]),
      owned,
      published,
      FINDINGS_REFRESH_MS,
    );
    expect(refreshed.rows.map((r) => r.target)).toEqual(['a', 'b']);
  });

  it('forgets a target no longer owned, so that it is published at once when owned again', () => {
    const published = new Map<string, { digest: string; at: number }>();
    findingsToShare(engine([], []), new Set(['a']), published, 0).commit();
    expect(findingsToShare(engine([], []), new Set<string>(), published, 1).rows).toEqual([]);
    expect(published.size).toBe(0);
    expect(findingsToShare(engine([], []), new Set(['a']), published, 2).rows.map((r) => r.target)).toEqual([
      'a',
    ]);
  });
});
