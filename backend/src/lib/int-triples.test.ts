import { IntTriples } from './int-triples';

describe('IntTriples', () => {
  it('numbers triples in the order added, once each, and finds them again', () => {
    const triples = new IntTriples();
    expect(triples.add(1, 2, 3)).toBe(0);
    expect(triples.add(3, 2, 1)).toBe(1);
    expect(triples.add(1, 2, 3)).toBe(0);
    expect(triples.find(3, 2, 1)).toBe(1);
    expect(triples.find(2, 2, 2)).toBe(-1);
    expect(triples.get(1)).toEqual([3, 2, 1]);
    expect(triples.size).toBe(2);
  });

  it('keeps every triple apart past many growths of its table', () => {
    const triples = new IntTriples();
    let row = 0;
    for (let a = 0; a < 20; a++)
      for (let b = 0; b < 30; b++)
        for (let c = 0; c < 10; c++) expect(triples.add(a, b, c * 1_000_003)).toBe(row++);
    expect(triples.size).toBe(6000);
    expect(triples.find(19, 29, 9 * 1_000_003)).toBe(5999);
    expect(triples.find(7, 11, 3 * 1_000_003)).toBe(7 * 300 + 11 * 10 + 3);
    expect(triples.get(5999)).toEqual([19, 29, 9 * 1_000_003]);
    expect(triples.find(20, 0, 0)).toBe(-1);
  });
});
