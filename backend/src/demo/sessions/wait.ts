import { setTimeout as sleep } from 'node:timers/promises';
import { randomInt } from '../random';

/**
 * Sleeps for a random time in [minMs, maxMs]; rejects as soon as the signal aborts, so a session
 * holding a transaction for minutes still stops (or notices its lost connection) at once.
 */
export function pause(minMs: number, maxMs: number, signal: AbortSignal): Promise<void> {
  return sleep(randomInt(minMs, maxMs), undefined, { signal });
}

/** For sessions that only sit connected: resolves when the signal aborts, holds no timer. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
