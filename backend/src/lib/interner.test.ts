import { Interner } from './interner';

describe('Interner', () => {
  it('gives back the copy of a string seen first, and null as null', () => {
    const interner = new Interner(10);
    const first = ['sha', 'red'].join('');
    const second = ['sh', 'ared'].join('');
    expect(interner.intern(first)).toBe(first);
    expect(interner.intern(second)).toBe('shared');
    expect(interner.intern(null)).toBeNull();
    expect(interner.size).toBe(1);
  });

  it('stays within its capacity', () => {
    const interner = new Interner(2);
    for (const s of ['a', 'b', 'c', 'a']) interner.intern(s);
    expect(interner.size).toBe(2);
  });
});

describe('Interner of rows (keyed by their JSON)', () => {
  it('gives back the row seen first with the same fields and values', () => {
    const rows = new Interner<Record<string, unknown>>(10, (row) => JSON.stringify(row));
    const first = { name: 'work_mem', setting: '4096', unit: 'kB' };
    expect(rows.intern(first)).toBe(first);
    expect(rows.intern({ name: 'work_mem', setting: '4096', unit: 'kB' })).toBe(first);
    const other = { name: 'work_mem', setting: '8192', unit: 'kB' };
    expect(rows.intern(other)).toBe(other);
    expect(rows.intern({ name: 'work_mem', unit: null })).not.toBe(first);
    expect(rows.size).toBe(3);
  });

  it('stays within its capacity', () => {
    const rows = new Interner<{ n: number }>(2, (row) => JSON.stringify(row));
    for (const n of [1, 2, 3]) rows.intern({ n });
    expect(rows.size).toBe(2);
  });
});
