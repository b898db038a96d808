import { ServerInfo } from '../../db/server-info';
import { CollectContext, CollectorState } from '../types';
import { relationsCollector } from '.';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** One cycle's statements: each query's name and bind parameters. */
type Sent = [string, unknown[] | undefined][];

/**
 * A context whose ranking statements answer `ranked` oids (the other statements no rows), recording
 * what each cycle sends.
 */
function context(now: number, state: CollectorState, ranked: number[], sent: Sent): CollectContext {
  return {
    now,
    state,
    sizeRankingIntervalMs: HOUR,
    topN: { statements: 50, relations: 2, indexes: 2 },
    server: { database: 'app', major: 16 } as ServerInfo,
    async query(name: string, options?: { params?: unknown[] }) {
      sent.push([name, options?.params]);
      return name.endsWith('-ranking') ? ranked.map((oid) => ({ oid })) : [];
    },
  } as unknown as CollectContext;
}

/** What each of the cycles at `times` sends, one state for them all. */
async function cycles(times: number[], ranked: number[]): Promise<Sent[]> {
  const state: CollectorState = new Map();
  const all: Sent[] = [];
  for (const now of times) {
    const sent: Sent = [];
    await relationsCollector.collect(context(now, state, ranked, sent));
    all.push(sent);
  }
  return all;
}

describe('relations collector: the Top-N by size ranked every size_ranking.interval_s', () => {
  it('ranks in the first cycle and once the interval has passed, and reads the oids ranked last in between', async () => {
    const [first, between, later] = await cycles([0, 10 * MINUTE, HOUR], [7, 8]);
    expect(first).toEqual([
      ['relation-ranking', [2]],
      ['relation-index-ranking', [2]],
      ['relations', [2, [7, 8]]],
      ['relation-indexes', [2, [7, 8]]],
      ['relation-counts', undefined],
    ]);
    expect(between).toEqual([
      ['relations', [2, [7, 8]]],
      ['relation-indexes', [2, [7, 8]]],
      ['relation-counts', undefined],
    ]);
    expect(later).toEqual(first);
  });

  it('ranks every cycle while the database holds fewer relations than N', async () => {
    const runs = await cycles([0, 10 * MINUTE, 20 * MINUTE], [7]);
    for (const sent of runs) expect(sent.map(([name]) => name)).toContain('relation-ranking');
  });
});
