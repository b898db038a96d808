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
