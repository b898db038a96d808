import pino from 'pino';
import { MemoryGuard } from './memory-guard';

const MB = 1048576;

describe('MemoryGuard', () => {
  const log = pino({ level: 'silent' });

  it('is healthy below 85 % of the ceiling', () => {
    const exceeded = jest.fn();
    const guard = new MemoryGuard(100 * MB, log, exceeded, () => 80 * MB);
    expect(guard.sample()).toEqual({ rssBytes: 80 * MB, limitBytes: 100 * MB, underPressure: false });
    expect(exceeded).not.toHaveBeenCalled();
  });

  it('reports pressure above 85 % and recovers below it', () => {
    let rss = 90 * MB;
    const guard = new MemoryGuard(100 * MB, log, jest.fn(), () => rss);
    expect(guard.sample().underPressure).toBe(true);
    rss = 50 * MB;
    expect(guard.sample().underPressure).toBe(false);
  });

  it('asks for an orderly exit once past the ceiling', () => {
    const exceeded = jest.fn();
    const guard = new MemoryGuard(100 * MB, log, exceeded, () => 101 * MB);
    guard.sample();
    expect(exceeded).toHaveBeenCalledTimes(1);
  });
});
