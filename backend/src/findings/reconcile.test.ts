import { FindingDraft } from './types';
import { reconcile } from './reconcile';

const draft = (name: string, severity: FindingDraft['severity'] = 'warning'): FindingDraft => ({
  object: { type: 'relation', name, database: 'shop' },
  severity,
  title: `${name} is bloated`,
  detail: '',
  evidence: [{ relname: name }],
  remediation: { statements: [], steps: [] },
});

const context = (now: number) => ({
  kind: 'table_bloat',
  target: 'db1',
  now,
  sql: [],
  runbook: 'docs/runbooks/findings/table_bloat.md',
  resolvedKeepMs: 1000,
});

describe('reconcile', () => {
  it('opens, keeps (last seen, severity), escalates and resolves findings', () => {
    const first = reconcile([], [draft('a'), draft('b')], context(100));
    expect(first.transitions.map((t) => [t.type, t.record.object.name])).toEqual([
      ['new', 'a'],
      ['new', 'b'],
    ]);
    const second = reconcile(first.records, [draft('a', 'critical')], context(200));
    const a = second.records.find((r) => r.object.name === 'a');
    expect(a).toMatchObject({ state: 'open', firstSeen: 100, lastSeen: 200, severity: 'critical' });
    expect(a?.id).toBe(first.records[0]?.id);
    expect(second.transitions.map((t) => [t.type, t.record.object.name, t.previousSeverity])).toEqual([
      ['escalated', 'a', 'warning'],
      ['resolved', 'b', undefined],
    ]);
    expect(second.records.find((r) => r.object.name === 'b')).toMatchObject({
      state: 'resolved',
      resolvedAt: 200,
    });
  });

  it('opens a new finding when a resolved one comes back, and forgets resolved ones after a while', () => {
    const first = reconcile([], [draft('a')], context(100));
    const gone = reconcile(first.records, [], context(200));
    const back = reconcile(gone.records, [draft('a')], context(300));
    expect(back.transitions.map((t) => t.type)).toEqual(['new']);
    const ids = back.records.map((r) => [r.state, r.id]);
    expect(ids).toHaveLength(2);
    expect(ids[0]?.[1]).not.toBe(ids[1]?.[1]);
    const later = reconcile(back.records, [draft('a')], context(1300));
    expect(later.records.map((r) => r.state)).toEqual(['open']);
  });

  it('tells apart two drafts on the same object', () => {
    const { records } = reconcile([], [draft('a'), draft('a')], context(100));
    expect(new Set(records.map((r) => r.key)).size).toBe(2);
  });
});
