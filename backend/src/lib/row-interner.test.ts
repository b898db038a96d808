import { RowInterner } from './row-interner';

describe('RowInterner', () => {
  it('gives back the row seen first with the same fields and values', () => {
    const rows = new RowInterner<Record<string, unknown>>(10);
    const first = { name: 'work_mem', setting: '4096', unit: 'kB' };
    expect(rows.intern(first)).toBe(first);
    expect(rows.intern({ name: 'work_mem', setting: '4096', unit: 'kB' })).toBe(first);
    const other = { name: 'work_mem', setting: '8192', unit: 'kB' };
    expect(rows.intern(other)).toBe(other);
    expect(rows.intern({ name: 'work_mem', unit: null })).not.toBe(first);
    expect(rows.size).toBe(3);
  });

  it('stays within its capacity', () => {
    const rows = new RowInterner<{ n: number }>(2);
    for (const n of [1, 2, 3]) rows.intern({ n });
    expect(rows.size).toBe(2);
  });
});
