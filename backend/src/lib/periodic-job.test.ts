import { PeriodicJob } from './periodic-job';

/** A run that resolves or rejects when the test says. */
function controlledRun() {
  const settle: { resolve?: (n: number) => void; reject?: (e: Error) => void } = {};
  let calls = 0;
  const run = () => {
    calls += 1;
    return new Promise<number>((resolve, reject) => Object.assign(settle, { resolve, reject }));
  };
  return { run, settle, calls: () => calls };
}

describe('PeriodicJob', () => {
  afterEach(() => jest.useRealTimers());

  it('shares a run under way with every caller, then runs anew', async () => {
    const { run, settle, calls } = controlledRun();
    const job = new PeriodicJob(run, 1000);
    const first = job.runOnce();
    expect(job.runOnce()).toBe(first);
    settle.resolve?.(1);
    await expect(first).resolves.toBe(1);
    void job.runOnce();
    expect(calls()).toBe(2);
    settle.resolve?.(2);
    await job.stop();
  });

  it('runs on its interval until stopped, skipping ticks while a run is under way', async () => {
    jest.useFakeTimers();
    const { run, settle, calls } = controlledRun();
    const job = new PeriodicJob(run, 1000);
    job.start();
    jest.advanceTimersByTime(3000);
    expect(calls()).toBe(1);
    settle.resolve?.(1);
    await Promise.resolve();
    await Promise.resolve();
    jest.advanceTimersByTime(1000);
    expect(calls()).toBe(2);
    settle.resolve?.(2);
    await job.stop();
    jest.advanceTimersByTime(5000);
    expect(calls()).toBe(2);
  });

  it('rejects the callers of a failed run, never the timer or stop()', async () => {
    jest.useFakeTimers();
    const { run, settle } = controlledRun();
    const job = new PeriodicJob(run, 1000);
    job.start();
    jest.advanceTimersByTime(1000);
    const caller = job.runOnce();
    settle.reject?.(new Error('store down'));
    await expect(caller).rejects.toThrow('store down');
    await expect(job.stop()).resolves.toBeUndefined();
  });
});
