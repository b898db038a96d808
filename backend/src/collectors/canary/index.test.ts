import { CollectContext, CollectResult } from '../types';
import { canaryCollector } from '.';

const PLAN = [{ Plan: { 'Shared Read Blocks': 0 }, 'Planning Time': 0.1, 'Execution Time': 0.02 }];

/** A statement the server cut, as the driver reports it. */
const cancelled = () =>
  Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });

/** A context answering the canary's two statements (or throwing what `fail` gives for one). */
function context(fail: { name: string; error: Error } | undefined, ran: string[] = []): CollectContext {
  return {
    async query(name: string) {
      ran.push(name);
      if (fail?.name === name) throw fail.error;
      return name === 'canary-explain' ? [{ 'QUERY PLAN': PLAN }] : [{ one: 1 }];
    },
  } as unknown as CollectContext;
}

const metrics = (result: CollectResult) => result.samples.map((s) => s.metric);

describe('canary collector', () => {
  it('times SELECT 1, then the EXPLAIN, and reports what the plan says', async () => {
    const ran: string[] = [];
    const result = await canaryCollector.collect(context(undefined, ran));
    expect(ran).toEqual(['canary-roundtrip', 'canary-explain']);
    expect(result.error).toBeUndefined();
    expect(metrics(result)).toEqual([
      'pg_canary_roundtrip_seconds',
      'pg_canary_explain_seconds',
      'pg_canary_planning_seconds',
      'pg_canary_execution_seconds',
      'pg_canary_shared_blocks_read',
    ]);
    for (const sample of result.samples.slice(0, 2)) expect(sample.value).toBeGreaterThanOrEqual(0);
  });

  it('publishes the time a cut SELECT 1 took, reports the cut, and runs nothing more', async () => {
    const ran: string[] = [];
    const result = await canaryCollector.collect(
      context({ name: 'canary-roundtrip', error: cancelled() }, ran),
    );
    expect(ran).toEqual(['canary-roundtrip']);
    expect(metrics(result)).toEqual(['pg_canary_roundtrip_seconds']);
    expect(result.error).toMatch(
      /^canary SELECT 1 cut after \d+ ms: canceling statement due to statement timeout$/,
    );
  });

  it('publishes both round trips when the EXPLAIN is cut', async () => {
    const result = await canaryCollector.collect(context({ name: 'canary-explain', error: cancelled() }));
    expect(metrics(result)).toEqual(['pg_canary_roundtrip_seconds', 'pg_canary_explain_seconds']);
    expect(result.error).toMatch(/^canary EXPLAIN cut after/);
  });

  it('fails on any other error (a lost connection, a spent budget)', async () => {
    const lost = new Error('Connection terminated unexpectedly');
    await expect(canaryCollector.collect(context({ name: 'canary-explain', error: lost }))).rejects.toBe(
      lost,
    );
  });
});
