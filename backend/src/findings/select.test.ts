import { selectChecks, selectFindings } from './select';
import { CheckStatus, FindingRecord } from './types';

const record = (id: string, over: Partial<FindingRecord>) =>
  ({ id, target: 't1', kind: 'k', state: 'open', severity: 'info', firstSeen: 0, ...over }) as FindingRecord;

describe('selectFindings', () => {
  it('filters by target, kind, severity and state; open first, then the most severe, then the newest', () => {
    const records = [
      record('resolved-critical', { state: 'resolved', severity: 'critical' }),
      record('old-warning', { severity: 'warning', firstSeen: 1 }),
      record('new-warning', { severity: 'warning', firstSeen: 2 }),
      record('critical', { severity: 'critical' }),
      record('other-target', { target: 't2', severity: 'critical' }),
      record('other-kind', { kind: 'x' }),
    ];
    expect(selectFindings(records, { targets: ['t1'], kinds: ['k'] }).map((r) => r.id)).toEqual([
      'critical',
      'new-warning',
      'old-warning',
      'resolved-critical',
    ]);
    expect(selectFindings(records, { severities: ['critical'], state: ['open'] }).map((r) => r.id)).toEqual([
      'critical',
      'other-target',
    ]);
  });
});

describe('selectChecks', () => {
  it('keeps the checks of the filtered targets and kinds, in their order', () => {
    const check = (target: string, kind: string): CheckStatus => ({ target, kind, state: 'ok', open: 0 });
    const checks = [check('t1', 'b'), check('t1', 'a'), check('t2', 'a')];
    expect(selectChecks(checks, { targets: ['t1'] })).toEqual([check('t1', 'b'), check('t1', 'a')]);
    expect(selectChecks(checks, { kinds: ['a'] })).toEqual([check('t1', 'a'), check('t2', 'a')]);
  });
});
