import { CollectContext, CollectorState } from '../types';
import { DatabaseStatsRow } from './derive';
import { databaseStatsCollector } from '.';

const row = (size: number | null) =>
  ({ datid: 1, datname: 'app', xact_commit: 1, xact_rollback: 0, size_bytes: size }) as DatabaseStatsRow;

/** A context whose database-stats query answers one database; `reads` records whether each read asked for sizes. */
function context(now: number, intervalMs: number, state: CollectorState, reads: boolean[]): CollectContext {
  return {
    now,
    state,
    databaseSizesIntervalMs: intervalMs,
    async query(_name: string, options?: { params?: unknown[] }) {
      const withSize = options?.params?.[1] === true;
      reads.push(withSize);
      return [row(withSize ? 8192 : null)];
    },
  } as unknown as CollectContext;
}

/** Whether each of the cycles at `times` (ms) read the sizes, with the sizes interval `intervalMs`. */
async function sizeReads(times: number[], intervalMs: number): Promise<boolean[]> {
  const state: CollectorState = new Map();
  const reads: boolean[] = [];
  for (const now of times) await databaseStatsCollector.collect(context(now, intervalMs, state, reads));
  return reads;
}

describe('database_stats collector: sizes every database_sizes.interval_s', () => {
  const minutes = [0, 60_000, 120_000, 180_000];

  it('reads the sizes at the configured interval and only the counters in between', async () => {
    expect(await sizeReads(minutes, 120_000)).toEqual([true, false, true, false]);
    expect(await sizeReads(minutes, 600_000)).toEqual([true, false, false, false]);
  });

  it('reads them every cycle with an interval shorter than the loop', async () => {
    expect(await sizeReads(minutes, 30_000)).toEqual([true, true, true, true]);
  });
});
