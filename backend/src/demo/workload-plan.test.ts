import { planSessions } from './workload-plan';

describe('planSessions', () => {
  it('keeps scale 1 within 15 connections and covers every session kind', () => {
    const plan = planSessions(1);
    expect(plan.length).toBeLessThanOrEqual(15);
    expect(new Set(plan.map((s) => s.application))).toEqual(
      new Set(['demo-web', 'demo-worker', 'demo-report', 'demo-batch']),
    );
    expect(plan.map((s) => s.name)).toEqual(expect.arrayContaining(['report', 'lock-holder', 'lock-waiter']));
  });

  it('gives every session a unique name', () => {
    const names = planSessions(3).map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('multiplies the repeatable kinds but keeps one report, one lock chain and one idle transaction', () => {
    const plan = planSessions(2);
    expect(plan.filter((s) => s.name.startsWith('oltp-'))).toHaveLength(4);
    expect(plan.filter((s) => s.name === 'report' || s.name.startsWith('lock-'))).toHaveLength(3);
  });

  it('runs at least one of each kind at a small scale', () => {
    expect(planSessions(0.1).filter((s) => s.name.startsWith('queue-worker-'))).toHaveLength(1);
  });

  it('rejects a scale that is not a positive number', () => {
    expect(() => planSessions(0)).toThrow(RangeError);
    expect(() => planSessions(Number.NaN)).toThrow(RangeError);
  });
});
