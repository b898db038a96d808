import type { QueryResponse, RefIdResult } from '../../backend/src/contract/query';
import { observation } from '../store/store-kit';
import { ApiFixture, TARGET } from './api-fixture';
import { call, servedApi } from './api-server';
import { storeOnlyFixture } from './store-only-fixture';

/**
 * `top` on a real store through POST /api/v1/query: with more series than `limit`, a plain limit
 * keeps the first by labels (what "Largest relations" showed: the first 10 by name), `top` the
 * highest over the range by its measure, highest first.
 */

const METRIC = 'pg_relation_size_bytes';
// Whole minutes within the retention (the ranking does not depend on when they are).
const START = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
// Per relation, its values at START, +1 min, +2 min, +3 min; in label order a_ < b_ < c_ < d_ < e_.
const SIZES: Record<string, number[]> = {
  a_small: [1, 2, 3, 4],
  b_peak: [1, 100, 1, 1],
  c_none_yet: [],
  d_large: [50, 60, 70, 80],
  e_shrinking: [90, 55, 40, 30],
};

/** The store-only fixture with the relations' sizes written and flushed. */
async function stagedFixture(): Promise<ApiFixture> {
  const fixture = await storeOnlyFixture();
  for (let minute = 0; minute < 4; minute++) {
    const samples = Object.entries(SIZES).flatMap(([relname, values]) => {
      const value = values[minute];
      const labels = { datname: 'app', schemaname: 'public', relname };
      return value === undefined ? [] : [{ metric: METRIC, labels, value }];
    });
    fixture.store.writer.write(observation(TARGET, START + minute * 60_000, samples));
  }
  // A series the store knows, with no sample in the range.
  fixture.store.writer.write(
    observation(TARGET, START - 3_600_000, [
      { metric: METRIC, labels: { datname: 'app', schemaname: 'public', relname: 'c_none_yet' }, value: 7 },
    ]),
  );
  await fixture.store.writer.flush();
  return fixture;
}

const api = servedApi(stagedFixture);

async function relations(options: object): Promise<string[]> {
  const response = await call<QueryResponse>(api.base, {
    method: 'POST',
    url: '/api/v1/query',
    payload: {
      range: { from: START, to: START + 3 * 60_000 },
      intervalMs: 60_000,
      maxDataPoints: 100,
      queries: [
        { refId: 'A', kind: 'timeseries', metric: METRIC, target: TARGET, aggregation: 'max', ...options },
      ],
    },
  });
  expect({ status: response.status, body: response.status === 200 ? 'ok' : response.body }).toEqual({
    status: 200,
    body: 'ok',
  });
  const result = response.body.results.A as RefIdResult;
  if ('error' in result) throw new Error(result.error);
  return result.frames.map((frame) => String(frame.schema.fields[1]?.labels?.relname));
}

it('keeps the first series by labels under a plain limit', async () => {
  expect(await relations({ limit: 2 })).toEqual(['a_small', 'b_peak']);
});

it('keeps the highest by peak, average or last value with top, highest first', async () => {
  expect(await relations({ limit: 2, top: 'max' })).toEqual(['b_peak', 'e_shrinking']);
  expect(await relations({ limit: 2, top: 'avg' })).toEqual(['d_large', 'e_shrinking']);
  expect(await relations({ limit: 3, top: 'last' })).toEqual(['d_large', 'e_shrinking', 'a_small']);
});

it('ranks every series with points when the limit covers them (one without any has no frame)', async () => {
  expect(await relations({ limit: 10, top: 'last' })).toEqual([
    'd_large',
    'e_shrinking',
    'a_small',
    'b_peak',
  ]);
});

it('names the field of a ranking it does not know', async () => {
  const response = await call(api.base, {
    method: 'POST',
    url: '/api/v1/query',
    payload: {
      range: { from: START, to: START + 60_000 },
      queries: [{ refId: 'A', kind: 'timeseries', metric: METRIC, limit: 2, top: 'median' }],
    },
  });
  expect(response.status).toBe(400);
  expect(JSON.stringify(response.body)).toMatch(/top/);
});
