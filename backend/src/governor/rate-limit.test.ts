import { actionsInWindow, perMinuteLeft, recentTimes } from './rate-limit';

describe('per-minute rate limit', () => {
  const now = 1_000_000;

  it('counts actions in the 60 s that end now, and forgets older ones', () => {
    const times = [now - 60_000, now - 59_999, now - 30_000, now];
    expect(actionsInWindow(times, now)).toBe(3);
    expect(recentTimes(times, now)).toEqual([now - 59_999, now - 30_000, now]);
    expect(perMinuteLeft(times, 5, now)).toBe(2);
    expect(perMinuteLeft(times, 2, now)).toBe(0);
    expect(perMinuteLeft(times, 5, now + 60_000)).toBe(5);
  });
});
