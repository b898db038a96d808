import pino from 'pino';
import { Registry } from 'prom-client';
import { LatestObservations } from '../collectors/latest-observations';
import { ObservationBus } from '../collectors/observation-bus';
import { loadConfig } from '../config/load';
import { TargetMonitor } from '../db/target-monitor';
import { createCollectorMetrics } from './collector-metrics';
import { LoopRunner } from './loop-runner';

const log = pino({ level: 'silent' });
const INTERVAL_MS = 5000;

/** A hot loop whose ticks are only recorded (at fake-clock times): no target, no collector. */
function recordingRunner(): { runner: LoopRunner; ticks: number[]; up: () => void } {
  const { config } = loadConfig({ env: {} });
  const upListeners: (() => void)[] = [];
  const monitor = {
    name: 'main',
    onUp: (listener: () => void) => upListeners.push(listener),
  } as unknown as TargetMonitor;
  const runner = new LoopRunner('hot', { interval_s: INTERVAL_MS / 1000, budget_ms: 1000 }, [], monitor, {
    bus: new ObservationBus(log),
    latest: new LatestObservations(),
    metrics: createCollectorMetrics(new Registry()),
    log,
    config,
  });
  const ticks: number[] = [];
  jest.spyOn(runner, 'tick').mockImplementation(() => {
    ticks.push(Date.now());
    return Promise.resolve();
  });
  return { runner, ticks, up: () => upListeners.forEach((listener) => listener()) };
}

describe('loop timer', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('runs the first cycle after the delay, then one every interval', async () => {
    const { runner, ticks } = recordingRunner();
    runner.start(300);
    jest.advanceTimersByTime(300 + 3 * INTERVAL_MS);
    await runner.stop();
    expect(ticks).toEqual([300, 5300, 10_300, 15_300]);
  });

  it('with spreadPhase, keeps a phase of its own from the second cycle on', async () => {
    for (const [random, second] of [
      [0, 2500],
      [0.5, 5000],
      [0.999, 7495],
    ] as const) {
      jest.spyOn(Math, 'random').mockReturnValue(random);
      const { runner, ticks } = recordingRunner();
      const start = Date.now();
      runner.start(300, true);
      jest.advanceTimersByTime(300 + second + 2 * INTERVAL_MS);
      await runner.stop();
      expect(ticks.map((t) => t - start)).toEqual([
        300,
        300 + second,
        300 + second + INTERVAL_MS,
        300 + second + 2 * INTERVAL_MS,
      ]);
    }
  });

  it('on the first up before its first cycle, keeps that cycle where it was', async () => {
    const { runner, ticks, up } = recordingRunner();
    runner.start(3000);
    jest.advanceTimersByTime(1000);
    up();
    jest.advanceTimersByTime(2000 + INTERVAL_MS);
    await runner.stop();
    expect(ticks).toEqual([3000, 8000]);
  });

  it('on the first up after its first cycle waited, starts its schedule again from then', async () => {
    const { runner, ticks, up } = recordingRunner();
    runner.start(300);
    jest.advanceTimersByTime(1000);
    up();
    jest.advanceTimersByTime(300 + INTERVAL_MS);
    await runner.stop();
    expect(ticks).toEqual([300, 1300, 6300]);
  });
});
