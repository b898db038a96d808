import { rendezvousAssignment, rendezvousWinner } from './rendezvous';

const keys = Array.from({ length: 3000 }, (_, i) => `target-${i}`);

it('picks the same winner whatever the order of the candidates', () => {
  for (const key of keys.slice(0, 50)) {
    expect(rendezvousWinner(key, ['a', 'b', 'c'])).toBe(rendezvousWinner(key, ['c', 'a', 'b']));
  }
  expect(rendezvousWinner('x', [])).toBeUndefined();
  expect(rendezvousWinner('x', ['only'])).toBe('only');
});

it('shares keys about evenly', () => {
  const counts = new Map<string, number>();
  for (const key of keys) {
    const winner = rendezvousWinner(key, ['r1', 'r2', 'r3']) as string;
    counts.set(winner, (counts.get(winner) ?? 0) + 1);
  }
  for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(120);
});

it('moves only the keys of a candidate that leaves, and only to the others', () => {
  for (const key of keys.slice(0, 500)) {
    const before = rendezvousWinner(key, ['r1', 'r2', 'r3']);
    const after = rendezvousWinner(key, ['r1', 'r2']);
    if (before !== 'r3') expect(after).toBe(before);
  }
});

describe('with bounded loads', () => {
  const all = (n: number, candidates: string[]) =>
    new Map(Array.from({ length: n }, (_, i) => [`t${i}`, candidates] as const));
  const loads = (assignment: Map<string, string>) => {
    const counts = new Map<string, number>();
    for (const c of assignment.values()) counts.set(c, (counts.get(c) ?? 0) + 1);
    return [...counts.values()].sort();
  };

  it('gives each candidate its fair share, exactly when it divides', () => {
    expect(loads(rendezvousAssignment(all(6, ['a', 'b', 'c'])))).toEqual([2, 2, 2]);
    expect(loads(rendezvousAssignment(all(7, ['a', 'b', 'c'])))).toEqual([2, 2, 3]);
    expect(loads(rendezvousAssignment(all(300, ['a', 'b', 'c'])))).toEqual([100, 100, 100]);
  });

  it('is the same whatever the order of keys and candidates', () => {
    const one = rendezvousAssignment(all(20, ['a', 'b', 'c']));
    const reordered = new Map([...all(20, ['c', 'b', 'a'])].reverse());
    expect(rendezvousAssignment(reordered)).toEqual(one);
  });

  it('leaves keys with their holders within the share; moves only the excess to a newcomer', () => {
    const keys = all(6, ['a', 'b', 'c']);
    const alone = new Map([...keys.keys()].map((k) => [k, 'a']));
    const shared = rendezvousAssignment(keys, alone);
    expect(loads(shared)).toEqual([2, 2, 2]);
    // Of what a held, it keeps exactly its share.
    expect([...shared].filter(([, c]) => c === 'a')).toHaveLength(2);
    // Held within the share: nothing moves (one key, two candidates: it stays with its holder).
    const one = new Map([['x', ['a', 'b']]]);
    expect(rendezvousAssignment(one, new Map([['x', 'b']])).get('x')).toBe('b');
    expect(rendezvousAssignment(one, new Map([['x', 'a']])).get('x')).toBe('a');
    // A holder that is no candidate of the key (left) keeps nothing.
    expect(rendezvousAssignment(new Map([['x', ['b']]]), new Map([['x', 'a']])).get('x')).toBe('b');
  });

  it('gives a key only to its own candidates, the first one when all are full', () => {
    const assignment = rendezvousAssignment(
      new Map([
        ['x', ['a']],
        ['y', ['a']],
        ['z', ['a', 'b']],
      ]),
    );
    expect(assignment.get('x')).toBe('a');
    expect(assignment.get('y')).toBe('a');
    expect(['a', 'b']).toContain(assignment.get('z'));
  });
});
