import { BoundedQueue } from './bounded-queue';

describe('BoundedQueue', () => {
  const rows = (name: string, n: number) => ({ name, n });
  const queue = () => new BoundedQueue<{ name: string; n: number }>(100, (item) => item.n);

  it('drops the oldest items whole beyond the weight bound', () => {
    const q = queue();
    expect(q.push(rows('a', 60))).toEqual([]);
    expect(q.push(rows('b', 30))).toEqual([]);
    expect(q.push(rows('c', 30)).map((i) => i.name)).toEqual(['a']);
    expect(q.weight).toBe(60);
    expect(q.take(1000).map((i) => i.name)).toEqual(['b', 'c']);
  });

  it('keeps the newest item even when it alone is over the bound', () => {
    const q = queue();
    q.push(rows('a', 10));
    expect(q.push(rows('huge', 500)).map((i) => i.name)).toEqual(['a']);
    expect(q.length).toBe(1);
  });

  it('takes up to a weight, but at least one item', () => {
    const q = queue();
    q.push(rows('a', 40));
    q.push(rows('b', 40));
    q.push(rows('c', 10));
    expect(q.take(50).map((i) => i.name)).toEqual(['a']);
    expect(q.take(5).map((i) => i.name)).toEqual(['b']);
    expect(q.take(5).map((i) => i.name)).toEqual(['c']);
    expect(q.take(5)).toEqual([]);
  });

  it('puts items back in front and trims the oldest', () => {
    const q = queue();
    q.push(rows('a', 50));
    q.push(rows('b', 20));
    const taken = q.take(60); // a
    q.push(rows('c', 50));
    expect(q.putBack(taken).map((i) => i.name)).toEqual(['a']);
    expect(q.take(1000).map((i) => i.name)).toEqual(['b', 'c']);
  });

  it('never drops with an infinite bound (events)', () => {
    const q = new BoundedQueue<number>(Infinity, () => 1);
    for (let i = 0; i < 10_000; i++) expect(q.push(i)).toEqual([]);
    expect(q.length).toBe(10_000);
  });
});
