import { call, servedApi } from './api-server';
import { storeOnlyFixture } from './store-only-fixture';

/**
 * Every time field of every route, at and past what the store can hold: a real store answers the
 * latest time the API takes, and anything later is a 400 naming the field (it used to reach the
 * store as an expanded ISO year and come back 503 "history store is unavailable").
 */
const api = servedApi(storeOnlyFixture);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const TOO_LATE: (number | string)[] = [
  8_640_000_000_000_000,
  '8640000000000000',
  LATEST + 1,
  '+275760-09-13T00:00:00Z',
  '10000-01-01T00:00:00Z',
];

const now = () => Date.now();
const series = { refId: 'A', kind: 'timeseries', metric: 'pg_connections_used', target: 'test' };
const table = (asOf: number | string) => ({
  refId: 'A',
  kind: 'table',
  table: 'sessions',
  target: 'test',
  asOf,
});
const query = (payload: object) => call(api.base, { method: 'POST', url: '/api/v1/query', payload });
const annotations = (from: number | string, to: number | string) =>
  call(api.base, {
    method: 'GET',
    url: `/api/v1/annotations?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
  });

/** The error text of a 400, whatever the route's error shape. */
const errorText = (body: unknown) => JSON.stringify(body);

describe('times the store cannot hold', () => {
  it('answers the latest time the API takes from the store, on every route', async () => {
    expect((await query({ range: { from: now() - 60_000, to: LATEST }, queries: [series] })).status).toBe(
      200,
    );
    const past = await query({ range: { from: now() - 60_000, to: now() }, queries: [table(LATEST)] });
    expect(past.status).toBe(200);
    expect(errorText(past.body)).not.toMatch(/unavailable/);
    expect((await annotations(now() - 60_000, LATEST)).status).toBe(200);
  });

  it.each(TOO_LATE.map((t) => [String(t), t]))('refuses %s with a 400 naming the field', async (_, late) => {
    const cases: [Promise<{ status: number; body: unknown }>, RegExp][] = [
      [query({ range: { from: now() - 60_000, to: late }, queries: [series] }), /range\.to/],
      [query({ range: { from: late, to: late }, queries: [series] }), /range\.(from|to)/],
      [query({ range: { from: now() - 60_000, to: now() }, queries: [table(late)] }), /asOf/],
      [annotations(now() - 60_000, late), /\bto\b/],
      [annotations(late, late), /\b(from|to)\b/],
    ];
    for (const [response, field] of cases) {
      const { status, body } = await response;
      expect({ status, body: errorText(body) }).toEqual({ status: 400, body: expect.stringMatching(field) });
    }
  });
});
