import { Int32Column } from './int32-column';

describe('Int32Column', () => {
  it('grows past its initial capacity and keeps what it held', () => {
    const column = new Int32Column(2);
    for (let i = 0; i < 5; i++) column.push(i * 10);
    expect(column.length).toBe(5);
    expect([0, 1, 2, 3, 4].map((i) => column.get(i))).toEqual([0, 10, 20, 30, 40]);
    column.set(4, -7);
    expect(column.get(4)).toBe(-7);
    column.fill(0);
    expect(column.get(3)).toBe(0);
  });

  it('refuses indexes outside what it holds', () => {
    const column = new Int32Column(4);
    column.push(1);
    expect(() => column.get(1)).toThrow(RangeError);
    expect(() => column.set(-1, 0)).toThrow(RangeError);
  });
});
