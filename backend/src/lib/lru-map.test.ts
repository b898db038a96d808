import { LruMap } from './lru-map';

describe('LruMap', () => {
  it('evicts the least recently used entry beyond its capacity', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1); // b is now the least recently used
    map.set('c', 3);
    expect(map.size).toBe(2);
    expect(map.has('b')).toBe(false);
    expect(map.get('a')).toBe(1);
    expect(map.get('c')).toBe(3);
  });

  it('does not count has() as a use', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.has('a')).toBe(true);
    map.set('c', 3);
    expect(map.has('a')).toBe(false);
    expect(map.has('b')).toBe(true);
  });

  it('holds null values and replaces a value in place of adding one', () => {
    const map = new LruMap<string, string | null>(2);
    map.set('a', null);
    map.set('a', 'x');
    map.set('b', null);
    expect(map.size).toBe(2);
    expect(map.get('a')).toBe('x');
    expect(map.has('b')).toBe(true);
    expect(map.get('b')).toBeNull();
    expect(map.get('c')).toBeUndefined();
  });

  it('refuses a capacity below one', () => {
    expect(() => new LruMap(0)).toThrow(RangeError);
  });
});
