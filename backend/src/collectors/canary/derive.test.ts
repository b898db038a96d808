import { Sample } from '../types';
import { deriveCanary } from './derive';

const value = (samples: Sample[], metric: string) => samples.find((s) => s.metric === metric)?.value;

/** What PostgreSQL returns for EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON), trimmed to what is read. */
const PLAN = [
  {
    Plan: { 'Node Type': 'Limit', 'Shared Hit Blocks': 1, 'Shared Read Blocks': 2 },
    Planning: { 'Shared Hit Blocks': 12, 'Shared Read Blocks': 3 },
    'Planning Time': 0.25,
    Triggers: [],
    'Execution Time': 0.04,
  },
];

describe('deriveCanary', () => {
  it('gives both round trips as measured and the times of the plan in seconds', () => {
    const samples = deriveCanary({ roundtripSeconds: 0.0012, explainSeconds: 0.0031, plan: PLAN });
    expect(value(samples, 'pg_canary_roundtrip_seconds')).toBe(0.0012);
    expect(value(samples, 'pg_canary_explain_seconds')).toBe(0.0031);
    expect(value(samples, 'pg_canary_planning_seconds')).toBeCloseTo(0.00025, 10);
    expect(value(samples, 'pg_canary_execution_seconds')).toBeCloseTo(0.00004, 10);
    expect(samples.every((s) => Object.keys(s.labels).length === 0)).toBe(true);
  });

  it('adds the blocks read while planning and executing', () => {
    const samples = deriveCanary({ roundtripSeconds: 0.001, explainSeconds: 0.002, plan: PLAN });
    expect(value(samples, 'pg_canary_shared_blocks_read')).toBe(5);
  });

  it('reads a plan that arrives as text', () => {
    const samples = deriveCanary({
      roundtripSeconds: 0.001,
      explainSeconds: 0.002,
      plan: JSON.stringify(PLAN),
    });
    expect(value(samples, 'pg_canary_execution_seconds')).toBeCloseTo(0.00004, 10);
  });

  it('keeps the round trip of a SELECT 1 that was cut, and nothing of the EXPLAIN that never ran', () => {
    const samples = deriveCanary({ roundtripSeconds: 1.02 });
    expect(samples).toEqual([{ metric: 'pg_canary_roundtrip_seconds', labels: {}, value: 1.02 }]);
  });

  it('keeps the EXPLAIN round trip when the plan is missing or not a plan', () => {
    for (const plan of [undefined, null, 'not json', [], [42], { Plan: {} }]) {
      const samples = deriveCanary({ roundtripSeconds: 0.001, explainSeconds: 0.9, plan });
      expect(samples.map((s) => s.metric)).toEqual([
        'pg_canary_roundtrip_seconds',
        'pg_canary_explain_seconds',
      ]);
    }
  });

  it('leaves out what a plan does not report (BUFFERS off, an older format)', () => {
    const samples = deriveCanary({
      roundtripSeconds: 0.001,
      explainSeconds: 0.002,
      plan: [{ Plan: { 'Node Type': 'Limit' }, 'Planning Time': 0.1 }],
    });
    expect(value(samples, 'pg_canary_planning_seconds')).toBeCloseTo(0.0001, 10);
    expect(value(samples, 'pg_canary_execution_seconds')).toBeUndefined();
    expect(value(samples, 'pg_canary_shared_blocks_read')).toBeUndefined();
  });
});
