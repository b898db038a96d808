import { analyseBlocking } from './blocking-chains';

describe('analyseBlocking', () => {
  it('finds nothing when nobody waits', () => {
    expect(analyseBlocking([])).toEqual({ links: [], roots: [], maxDepth: 0 });
  });

  it('follows a 3-session chain to its root', () => {
    // 30 waits on 20, which waits on 10; 10 waits on nobody.
    const result = analyseBlocking([
      { pid: 20, blockedBy: [10] },
      { pid: 30, blockedBy: [20] },
    ]);
    expect(result.roots).toEqual([10]);
    expect(result.maxDepth).toBe(2);
    expect(result.links).toEqual(
      expect.arrayContaining([
        { blockedPid: 20, blockerPid: 10, rootPid: 10, depth: 1 },
        { blockedPid: 30, blockerPid: 20, rootPid: 10, depth: 2 },
      ]),
    );
  });

  it('counts separate roots and a fan-out under one root', () => {
    const result = analyseBlocking([
      { pid: 2, blockedBy: [1] },
      { pid: 3, blockedBy: [1] },
      { pid: 5, blockedBy: [4] },
    ]);
    expect(result.roots).toEqual([1, 4]);
    expect(result.maxDepth).toBe(1);
  });

  it('survives a wait cycle (deadlock not yet detected) without looping', () => {
    const result = analyseBlocking([
      { pid: 1, blockedBy: [2] },
      { pid: 2, blockedBy: [1] },
    ]);
    expect(result.links).toHaveLength(2);
    expect(result.roots).toEqual([]);
  });
});
