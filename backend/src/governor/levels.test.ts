import { levelOf, mostBelow } from './levels';
import { governorSettings } from './testing/fake-sessions';

const { thresholds } = governorSettings();

describe('levels', () => {
  it.each([
    [0, 'normal'],
    [0.6999, 'normal'],
    [0.7, 'warn'],
    [0.85, 'optimize'],
    [0.9499, 'optimize'],
    [0.95, 'critical'],
    [1.2, 'critical'],
  ])('usage %d is %s', (usage, level) => {
    expect(levelOf(usage, thresholds)).toBe(level);
  });

  it('finds the most client backends that keep usage below a threshold, at the exact boundary', () => {
    for (let usable = 1; usable <= 2000; usable++) {
      for (const threshold of [0.5, 0.7, 0.85, 0.95, 0.9, 0.33]) {
        const n = mostBelow(threshold, usable);
        expect(n / usable < threshold || n === 0).toBe(true);
        expect((n + 1) / usable >= threshold).toBe(true);
      }
    }
    expect(mostBelow(0.85, 100)).toBe(84);
    expect(mostBelow(0.85, 97)).toBe(82);
  });
});
