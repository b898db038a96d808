import { IgnoreList } from './ignore-list';

const index = (name: string, database = 'app') => ({ type: 'index' as const, name, database });

describe('IgnoreList', () => {
  it('matches whole names, with * for any characters', () => {
    const list = new IgnoreList(['public.orders_report_idx', 'audit.*']);
    expect(list.matches(index('public.orders_report_idx'))).toBe(true);
    expect(list.matches(index('audit.events_2024_idx'))).toBe(true);
    expect(list.matches(index('public.orders_report_idx_old'))).toBe(false);
    expect(list.matches(index('xaudit.events'))).toBe(false);
  });

  it('takes a database-qualified pattern for one database only', () => {
    const list = new IgnoreList(['reporting/public.*']);
    expect(list.matches(index('public.big_idx', 'reporting'))).toBe(true);
    expect(list.matches(index('public.big_idx', 'app'))).toBe(false);
  });

  it('reads every other character as itself (a dot is a dot, brackets are brackets)', () => {
    const list = new IgnoreList(['synchronous_commit', 'public.t(1)', 'a.b']);
    expect(list.matches({ type: 'setting', name: 'synchronous_commit' })).toBe(true);
    expect(list.matches({ type: 'relation', name: 'public.t(1)' })).toBe(true);
    expect(list.matches({ type: 'relation', name: 'public.t1' })).toBe(false);
    expect(list.matches({ type: 'relation', name: 'axb' })).toBe(false);
  });

  it('ignores nothing when empty', () => {
    expect(new IgnoreList().empty).toBe(true);
    expect(new IgnoreList().matches(index('anything'))).toBe(false);
  });
});
