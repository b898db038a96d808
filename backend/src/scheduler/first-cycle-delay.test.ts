import { LoopName } from '../config/schema';
import { firstCycleDelayMs } from './first-cycle-delay';

const INTERVALS: Record<LoopName, number> = {
  hot: 5000,
  workload: 60_000,
  storage: 600_000,
  hourly: 3_600_000,
  custom: 10_000,
};
const LOOPS = Object.keys(INTERVALS) as LoopName[];
/** How long after a batch's hot loop its heavier loops start (first-cycle-delay.ts). */
const AFTER_HOT = 5000;

/** Every loop's first-cycle delay of every target of a batch of `count`. */
const delaysOf = (loop: LoopName, count: number) =>
  Array.from({ length: count }, (_, index) => firstCycleDelayMs(loop, INTERVALS[loop], { index, count }));

describe('first cycle delay of targets started together', () => {
  it('runs a target started alone: its hot cycle at once, the others within 200 ms, one after another', () => {
    const alone = LOOPS.map((loop) => firstCycleDelayMs(loop, INTERVALS[loop], { index: 0, count: 1 }));
    expect(alone).toEqual([0, 0, 50, 100, 150]);
  });

  it("spreads a batch evenly, wider as it grows, within a share of the loop's interval", () => {
    expect(delaysOf('workload', 50)[49]).toBe(AFTER_HOT + 9800);
    expect(Math.max(...delaysOf('workload', 300))).toBeLessThan(AFTER_HOT + 15_000);
    expect(Math.max(...delaysOf('hot', 50))).toBeLessThan(500);
    expect(Math.max(...delaysOf('storage', 300))).toBeLessThan(AFTER_HOT + 60_000);
    for (const loop of LOOPS) {
      const delays = delaysOf(loop, 100);
      expect([...delays].sort((a, b) => a - b)).toEqual(delays);
      const after = loop === 'hot' ? 0 : AFTER_HOT;
      expect(Math.max(...delays) - after).toBeLessThan(INTERVALS[loop] / 4);
    }
  });

  it("starts a batch's heavier loops after its hot loop's first cycles, which have the cores first", () => {
    for (const count of [2, 50, 300]) {
      expect(Math.max(...delaysOf('hot', count))).toBeLessThan(AFTER_HOT);
      for (const loop of LOOPS.filter((l) => l !== 'hot'))
        expect(Math.min(...delaysOf(loop, count))).toBeGreaterThanOrEqual(AFTER_HOT);
    }
  });

  it("keeps the hot loop's first cycles close and puts the heavier loops of one target apart", () => {
    const workload = delaysOf('workload', 50);
    const storage = delaysOf('storage', 50);
    const hourly = delaysOf('hourly', 50);
    for (let i = 0; i < 50; i += 1) {
      expect(storage[i]).toBeGreaterThan(workload[i] as number);
      expect(hourly[i]).toBeGreaterThan(storage[i] as number);
    }
    expect(delaysOf('hot', 50)[10]).toBe(100);
  });

  it('takes a position out of range as the nearest end of the batch', () => {
    expect(firstCycleDelayMs('workload', 60_000, { index: -1, count: 0 })).toBe(0);
    expect(firstCycleDelayMs('workload', 60_000, { index: 9, count: 5 })).toBe(AFTER_HOT + 800);
  });
});
