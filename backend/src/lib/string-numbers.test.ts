import { StringNumbers } from './string-numbers';

describe('StringNumbers', () => {
  it('numbers strings in the order first seen, once each', () => {
    const table = new StringNumbers();
    expect(table.number('a')).toBe(0);
    expect(table.number('b')).toBe(1);
    expect(table.number('a')).toBe(0);
    expect(table.size).toBe(2);
    expect(table.find('b')).toBe(1);
    expect(table.find('c')).toBeUndefined();
    expect(table.string(1)).toBe('b');
    expect(() => table.string(2)).toThrow(RangeError);
  });
});
