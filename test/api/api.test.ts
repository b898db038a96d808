import { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { gunzipSync } from 'node:zlib';
import type { MetricEntry, TableEntry } from '../../backend/src/catalog/catalog';
import type { DataFrameJSON } from '../../backend/src/contract/frames';
import type { Overview } from '../../backend/src/contract/overview';
import type { QueryResponse, RefIdResult } from '../../backend/src/contract/query';
import { NEWEST_MAJOR } from '../support/postgres';
import { startApiFixture, TARGET } from './api-fixture';
import { ADMIN_TOKEN, apiServer, BODY_LIMIT, call, listen, READ_TOKEN, send, servedApi } from './api-server';
import { badRequests, distinctBadRequests, INJECTIONS } from './bad-requests';
import { frameProblems } from './frame-shape';

/**
 * The API against data produced by the real collectors on a real PostgreSQL (and PgBouncer),
 * stored in a real history store: every metric and table kind, frames as Grafana reads them,
 * variables, annotations, overview, auth, and 1,000 generated bad requests.
 */
jest.setTimeout(60_000);

const api = servedApi(() => startApiFixture(), 120_000);
let catalog: { version: string; metrics: MetricEntry[]; tables: TableEntry[] };

beforeAll(async () => {
  catalog = (await call<typeof catalog>(api.base, { method: 'GET', url: '/api/v1/catalog' })).body;
}, 120_000);

const range = () => ({ from: api.fixture.startedAt - 60_000, to: Date.now() + 1000 });

async function query(queries: object[], extra: object = {}): Promise<QueryResponse> {
  const response = await call<QueryResponse>(api.base, {
    method: 'POST',
    url: '/api/v1/query',
    payload: { range: range(), intervalMs: 1000, maxDataPoints: 1000, queries, ...extra },
  });
  expect({ status: response.status, body: response.status === 200 ? 'ok' : response.body }).toEqual({
    status: 200,
    body: 'ok',
  });
  return response.body;
}

function framesOf(result: RefIdResult | undefined): DataFrameJSON[] {
  if (!result || 'error' in result) throw new Error(`expected frames, got ${JSON.stringify(result)}`);
  return result.frames;
}

/** A gauge has points once sampled; a counter's rate needs a series sampled in both cycles. */
function expectsData(metric: MetricEntry): boolean {
  if (metric.type === 'counter') return seriesInBothCycles(metric.name) > 0;
  return api.fixture.observations.some((o) => o.samples.some((s) => s.metric === metric.name));
}

/** Label sets seen for a metric in both collection cycles. */
function seriesInBothCycles(metric: string): number {
  const keys = (i: number) =>
    new Set(
      api.fixture.observations
        .filter((o, j) =>
          i === 0 ? j < api.fixture.observations.length / 2 : j >= api.fixture.observations.length / 2,
        )
        .flatMap((o) => o.samples.filter((s) => s.metric === metric).map((s) => JSON.stringify(s.labels))),
    );
  const [first, second] = [keys(0), keys(1)];
  return [...first].filter((k) => second.has(k)).length;
}

describe('catalog', () => {
  it('lists every metric with unit, labels, loop, collector and the SQL behind it', () => {
    expect(catalog.metrics.length).toBeGreaterThan(150);
    const connections = catalog.metrics.find((m) => m.name === 'pg_connections');
    expect(connections).toMatchObject({
      type: 'gauge',
      unit: 'short',
      labels: ['datname', 'state'],
      loop: 'hot',
      collector: 'activity',
    });
    expect(connections?.sql[0]).toMatchObject({ major: 14, file: 'collectors/activity.pg14.sql' });
    expect(connections?.sql[0]?.text).toMatch(/pg_stat_activity/);
    const commits = catalog.metrics.find((m) => m.name === 'pg_database_xact_commit_total');
    expect(commits).toMatchObject({ type: 'counter', rateUnit: 'cps' });
    for (const metric of catalog.metrics) expect(metric.sql.length).toBeGreaterThan(0);
    const pools = catalog.tables.find((t) => t.kind === 'pgbouncer_pools');
    expect(pools?.sql.some((s) => s.major === null && s.file === 'collectors/pgbouncer/pools.sql')).toBe(
      true,
    );
  });

  it('lists every table kind with columns and description', () => {
    const kinds = catalog.tables.map((t) => t.kind);
    for (const kind of [
      'sessions',
      'blocking',
      'top_statements',
      'vacuum',
      'storage',
      'unused_indexes',
      'replication',
      'partitions',
      'pgbouncer_pools',
      'interventions',
      'alerts',
      'settings_drift',
      'vacuum_progress',
      'wraparound',
    ]) {
      expect(kinds).toContain(kind);
    }
    for (const table of catalog.tables) {
      expect(table.description).not.toBe('');
      expect(table.columns.length).toBeGreaterThan(0);
    }
    expect(catalog.tables.find((t) => t.kind === 'replication')?.collectors).toEqual([
      'replication',
      'replication_standby',
    ]);
  });

  it('is compressed when the client accepts gzip', async () => {
    const response = await send(api.base, {
      method: 'GET',
      url: '/api/v1/catalog',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(response.raw).toString()).metrics).toHaveLength(catalog.metrics.length);
  });
});

describe('time series', () => {
  it('answers every catalog metric with Grafana time series frames in the catalog unit', async () => {
    const metrics = catalog.metrics;
    let withData = 0;
    for (let i = 0; i < metrics.length; i += 50) {
      const chunk = metrics.slice(i, i + 50);
      const response = await query(
        chunk.map((m, j) => ({ refId: `M${i + j}`, kind: 'timeseries', metric: m.name })),
      );
      chunk.forEach((metric, j) => {
        const frames = framesOf(response.results[`M${i + j}`]);
        for (const frame of frames) {
          expect(frameProblems(frame)).toEqual([]);
          expect(frame.schema.meta?.type).toBe('timeseries-multi');
          const [time, value] = frame.schema.fields;
          expect(time?.type).toBe('time');
          expect(value).toMatchObject({
            name: metric.name,
            type: 'number',
            config: { unit: metric.rateUnit ?? metric.unit },
          });
          expect(value?.labels?.target).toBe(TARGET);
        }
        if (frames.length > 0) withData += 1;
        if (expectsData(metric))
          expect({ metric: metric.name, frames: frames.length }).not.toEqual({
            metric: metric.name,
            frames: 0,
          });
      });
    }
    // 138 of 152 when written: no replica, no standby, nothing waiting.
    expect(withData).toBeGreaterThan(metrics.length * 0.75);
  });

  it('returns the values the collectors saw, filtered, grouped and named by the legend format', async () => {
    const { results } = await query([
      { refId: 'max', kind: 'timeseries', metric: 'pg_max_connections', aggregation: 'last' },
      {
        refId: 'idle',
        kind: 'timeseries',
        metric: 'pg_connections',
        filters: { datname: 'postgres', state: ['idle in transaction'] },
        legendFormat: '{{target}}: {{datname}} {{state}}',
      },
      {
        refId: 'bydb',
        kind: 'timeseries',
        metric: 'pg_connections',
        groupBy: ['datname'],
        aggregation: 'max',
      },
      {
        refId: 'rate',
        kind: 'timeseries',
        metric: 'pg_database_xact_commit_total',
        target: TARGET,
        filters: { datname: 'postgres' },
      },
    ]);
    const [max] = framesOf(results.max);
    expect(max?.data.values[1]?.every((v) => v === 40)).toBe(true);

    const idle = framesOf(results.idle);
    expect(idle).toHaveLength(1);
    expect(idle[0]?.schema.fields[1]?.config.displayNameFromDS).toBe(
      `${TARGET}: postgres idle in transaction`,
    );
    expect(idle[0]?.schema.fields[1]?.labels).toEqual({
      target: TARGET,
      datname: 'postgres',
      state: 'idle in transaction',
    });
    // The staged idle transaction and the root blocker (idle in transaction holding its lock).
    expect(Math.max(...(idle[0]?.data.values[1] as number[]))).toBe(2);

    const byDb = framesOf(results.bydb);
    expect(byDb.length).toBeGreaterThan(0);
    for (const frame of byDb)
      expect(Object.keys(frame.schema.fields[1]?.labels ?? {}).sort()).toEqual(['datname', 'target']);

    const [rate] = framesOf(results.rate);
    expect(rate?.schema.fields[1]?.config.unit).toBe('cps');
    expect((rate?.data.values[1] as number[]).every((v) => v >= 0)).toBe(true);
  });

  it('takes a fleet-sized target list (a multi-value variable), an unknown name being no data', async () => {
    const others = Array.from({ length: 999 }, (_, i) => `not-a-target-${i}`);
    const { results } = await query([
      { refId: 'A', kind: 'timeseries', metric: 'pg_max_connections', targets: [...others, TARGET] },
      { refId: 'B', kind: 'table', table: 'sessions', targets: others },
    ]);
    const frames = framesOf(results.A);
    expect(frames.map((f) => f.schema.fields[1]?.labels?.target)).toEqual([TARGET]);
    expect(framesOf(results.B).every((f) => f.data.values.every((v) => v.length === 0))).toBe(true);
  });

  it('widens the step to maxDataPoints', async () => {
    const response = await query([{ refId: 'A', kind: 'timeseries', metric: 'pg_connections_used' }], {
      maxDataPoints: 1,
    });
    const [frame] = framesOf(response.results.A);
    expect(frame?.data.values[0]).toHaveLength(1);
    expect(frame?.schema.fields[0]?.config.interval).toBeGreaterThanOrEqual(range().to - range().from - 1000);
  });
});

describe('tables', () => {
  it('answers every table kind with typed fields', async () => {
    const response = await query(
      catalog.tables.map((t, i) => ({ refId: `T${i}`, kind: 'table', table: t.kind, target: TARGET })),
    );
    catalog.tables.forEach((table, i) => {
      const frames = framesOf(response.results[`T${i}`]);
      expect(frames).toHaveLength(1);
      const frame = frames[0] as DataFrameJSON;
      expect(frameProblems(frame)).toEqual([]);
      expect(frame.schema.name).toBe(table.kind);
      const columns =
        table.source === 'events' ? table.columns : [{ name: 'target', type: 'string' }, ...table.columns];
      expect(frame.schema.fields.map((f) => [f.name, f.type])).toEqual(columns.map((c) => [c.name, c.type]));
      for (const column of table.columns.filter((c) => c.unit)) {
        expect(frame.schema.fields.find((f) => f.name === column.name)?.config.unit).toBe(column.unit);
      }
    });
    const rows = (kind: string) => {
      const i = catalog.tables.findIndex((t) => t.kind === kind);
      return framesOf(response.results[`T${i}`])[0]?.data.values[0]?.length ?? 0;
    };
    expect(rows('sessions')).toBeGreaterThanOrEqual(3);
    expect(rows('blocking')).toBe(1);
    expect(rows('top_statements')).toBeGreaterThan(0);
    expect(rows('storage')).toBeGreaterThan(0);
    expect(rows('unused_indexes')).toBeGreaterThan(0);
    expect(rows('partitions')).toBe(1);
    expect(rows('pgbouncer_pools')).toBeGreaterThan(0);
    expect(rows('settings')).toBeGreaterThan(100);
    expect(rows('interventions')).toBe(2);
    expect(rows('alerts')).toBe(1);
    expect(rows('events')).toBe(4);
  });

  it('filters, sorts and cuts rows (Top-N); injection attempts are plain values', async () => {
    const { results } = await query([
      {
        refId: 'A',
        kind: 'table',
        table: 'sessions',
        filters: { application: ['stage-root', 'stage-waiter'] },
        orderBy: 'pid',
        order: 'asc',
      },
      { refId: 'B', kind: 'table', table: 'sessions', limit: 1, orderBy: 'transaction_seconds' },
      { refId: 'C', kind: 'table', table: 'sessions', filters: { datname: INJECTIONS[0] as string } },
    ]);
    const [a] = framesOf(results.A);
    const field = (frame: DataFrameJSON | undefined, name: string) =>
      frame?.data.values[frame.schema.fields.findIndex((f) => f.name === name)] ?? [];
    expect([...field(a, 'application_name')].sort()).toEqual(['stage-root', 'stage-waiter']);
    const pids = field(a, 'pid') as number[];
    expect(pids).toEqual([...pids].sort((x, y) => x - y));
    expect(field(framesOf(results.B)[0], 'pid')).toHaveLength(1);
    expect(field(framesOf(results.C)[0], 'pid')).toHaveLength(0);
  });

  it('answers a table as of a past time from the store, and the latest from memory', async () => {
    const { results } = await query([
      { refId: 'past', kind: 'table', table: 'sessions', target: TARGET, asOf: Date.now() },
      {
        refId: 'none',
        kind: 'table',
        table: 'sessions',
        target: TARGET,
        asOf: api.fixture.startedAt - 30_000,
      },
    ]);
    const [past] = framesOf(results.past);
    expect(past?.data.values[0]?.length).toBeGreaterThanOrEqual(3);
    expect((past?.schema.meta?.custom?.takenAt as Record<string, number>)[TARGET]).toBeGreaterThanOrEqual(
      api.fixture.startedAt,
    );
    const [none] = framesOf(results.none);
    expect(none?.data.values[0]).toHaveLength(0);
    expect(none?.schema.meta?.notices?.[0]?.text).toMatch(/no sessions snapshot of target test/);
  });
});

describe('per-refId isolation', () => {
  it('gives a failing query its error and the others their frames', async () => {
    const failing = await apiServer({
      ...api.fixture,
      store: {
        ...api.fixture.store,
        reader: {
          ...api.fixture.store.reader,
          series: async (q) => {
            if (q.metric === 'pg_tps')
              throw new Error('connection refused to the store at 10.0.0.1 password=hunter2');
            return api.fixture.store.reader.series(q);
          },
          snapshotAt: (...a) => api.fixture.store.reader.snapshotAt(...a),
          events: (q) => api.fixture.store.reader.events(q),
          labelValues: (...a) => api.fixture.store.reader.labelValues(...a),
        },
      },
    });
    try {
      const response = await call<QueryResponse>(await listen(failing), {
        method: 'POST',
        url: '/api/v1/query',
        payload: {
          range: range(),
          queries: [
            { refId: 'bad', kind: 'timeseries', metric: 'pg_tps' },
            { refId: 'good', kind: 'timeseries', metric: 'pg_connections_used' },
          ],
        },
      });
      expect(response.status).toBe(200);
      expect(response.body.results.bad).toEqual({ error: expect.stringMatching(/history store/) });
      expect(JSON.stringify(response.body)).not.toMatch(/hunter2|10\.0\.0\.1/);
      expect(framesOf(response.body.results.good).length).toBe(1);
    } finally {
      await failing.close();
    }
  });
});

describe('variables', () => {
  const values = async (path: string) => {
    const response = await call<{ text: string; value: string }[]>(api.base, {
      method: 'GET',
      url: `/api/v1/variables/${path}`,
    });
    expect(response.status).toBe(200);
    return response.body;
  };

  it('lists targets, databases, relations, applications, users, query ids, metrics and tables', async () => {
    expect(await values('targets')).toEqual([{ text: TARGET, value: TARGET }]);
    expect((await values('databases')).map((v) => v.value)).toContain('postgres');
    expect((await values(`relations?target=${TARGET}&database=postgres`)).map((v) => v.value)).toContain(
      'accounts',
    );
    expect((await values('applications')).map((v) => v.value)).toEqual(
      expect.arrayContaining(['stage-root', 'stage-waiter', 'stage-idle-tx']),
    );
    expect((await values('users')).map((v) => v.value)).toContain('postgres');
    const queryIds = await values('queryids?database=postgres');
    expect(queryIds.length).toBeGreaterThan(0);
    expect(queryIds.some((v) => v.text.startsWith(`${v.value}: `))).toBe(true);
    expect(await values('metrics')).toHaveLength(catalog.metrics.length);
    expect((await values('metrics?search=TPS')).map((v) => v.value)).toEqual(['pg_tps']);
    expect((await values('tables')).map((v) => v.value)).toContain('sessions');
    expect(await values(`databases?target=${encodeURIComponent(INJECTIONS[1] as string)}`)).toEqual([]);
  });
});

describe('annotations', () => {
  it('returns the events in range as annotations, filterable by kind and target', async () => {
    const { from, to } = { from: api.fixture.startedAt - 600_000, to: Date.now() + 1000 };
    const all = await call<{ time: number; timeEnd?: number; title: string; text: string; tags: string[] }[]>(
      api.base,
      {
        method: 'GET',
        url: `/api/v1/annotations?from=${from}&to=${to}`,
      },
    );
    expect(all.status).toBe(200);
    expect(all.body.map((a) => a.title).sort()).toEqual(api.fixture.events.map((e) => e.title).sort());
    const alert = all.body.find((a) => a.title === 'ConnectionsCritical firing');
    expect(alert?.timeEnd).toBeGreaterThan(alert?.time as number);
    expect(alert?.tags).toEqual(expect.arrayContaining(['alert', 'critical', TARGET]));

    const interventions = await call<unknown[]>(api.base, {
      method: 'GET',
      url: `/api/v1/annotations?from=${new Date(from).toISOString()}&to=now&kind=interventions&target=${TARGET}`,
    });
    expect(interventions.body).toHaveLength(2);
    const other = await call<unknown[]>(api.base, {
      method: 'GET',
      url: `/api/v1/annotations?from=${from}&to=${to}&target=other`,
    });
    expect(other.body).toEqual([]);
  });
});

describe('overview', () => {
  it('gives the headline numbers of every target in one call', async () => {
    const response = await call<Overview>(api.base, { method: 'GET', url: '/api/v1/overview' });
    expect(response.status).toBe(200);
    const [target] = response.body.targets;
    expect(target).toMatchObject({
      name: TARGET,
      state: 'up',
      major: NEWEST_MAJOR,
      role: 'primary',
      blockedSessions: 1,
    });
    expect(target?.connections.max).toBe(40);
    expect(target?.connections.used).toBeGreaterThanOrEqual(4);
    expect(target?.connections.usageRatio).toBeCloseTo(
      (target?.connections.used as number) / (target?.connections.usable as number),
      5,
    );
    expect(target?.oldestTransactionSeconds).toBeGreaterThan(0);
    expect(target?.idleInTransactionSessions).toBe(2);
    expect(target?.databaseSizeBytes).toBeGreaterThan(0);
    expect(target?.pgbouncer?.up).toBe(1);
    expect(target?.lastCollectedAt).toBeGreaterThanOrEqual(api.fixture.startedAt);
  });
});

describe('auth', () => {
  let secured: FastifyInstance;
  let securedBase: string;
  beforeAll(async () => {
    // A route that changes things, as the governor's mode route does.
    const adminRoute: FastifyPluginAsync = async (api) => {
      api.post('/test/admin-only', { config: { access: 'admin' } }, async () => ({ done: true }));
    };
    secured = await apiServer(api.fixture, { tokens: true, protectMetrics: true, apiRoutes: [adminRoute] });
    securedBase = await listen(secured);
  });
  afterAll(async () => secured?.close());

  const get = (url: string, token?: string) =>
    call<{ error?: string; message?: string }>(securedBase, {
      method: 'GET',
      url,
      ...(token !== undefined ? { headers: { authorization: token } } : {}),
    });

  it('refuses the API without a token or with a wrong one, and says why', async () => {
    for (const url of [
      '/api/v1/catalog',
      '/api/v1/overview',
      '/api/v1/variables/targets',
      '/api/v1/nope',
      '/metrics',
    ]) {
      const none = await get(url);
      expect({ url, status: none.status }).toEqual({ url, status: 401 });
      expect(none.body.message).toMatch(/bearer token is required/);
      expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
      for (const wrong of [
        `Bearer ${READ_TOKEN}x`,
        'Bearer short',
        `Basic ${READ_TOKEN}`,
        READ_TOKEN,
        'Bearer ',
      ]) {
        const response = await get(url, wrong);
        expect({ url, wrong, status: response.status }).toEqual({ url, wrong, status: 401 });
        expect(JSON.stringify(response.body)).not.toContain(READ_TOKEN);
      }
    }
    const post = await call(securedBase, {
      method: 'POST',
      url: '/api/v1/query',
      payload: { range: range(), queries: [] },
    });
    expect(post.status).toBe(401);
  });

  it('accepts the read token and the admin token; probes stay open', async () => {
    for (const token of [READ_TOKEN, ADMIN_TOKEN]) {
      expect((await get('/api/v1/overview', `Bearer ${token}`)).status).toBe(200);
      expect((await get('/metrics', `bearer ${token}`)).status).toBe(200);
    }
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
  });

  it("keeps routes declared 'admin' to the admin token", async () => {
    const post = (token?: string) =>
      call<{ message?: string }>(securedBase, {
        method: 'POST',
        url: '/api/v1/test/admin-only',
        ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      });
    expect((await post()).status).toBe(401);
    const read = await post(READ_TOKEN);
    expect(read.status).toBe(403);
    expect(read.body.message).toMatch(/admin token/);
    expect((await post(ADMIN_TOKEN)).body).toEqual({ done: true });
  });
});

describe('bad input', () => {
  it('answers 1,000 generated bad requests with a 4xx naming the problem, never a 5xx', async () => {
    const now = Date.now();
    expect(distinctBadRequests({ now, bodyLimit: BODY_LIMIT })).toBeGreaterThan(300);
    const requests = badRequests(1000, { now, bodyLimit: BODY_LIMIT });
    const wrong: string[] = [];
    for (const request of requests) {
      const response = await send(api.base, request);
      let message: unknown;
      try {
        message = (JSON.parse(response.text) as { message?: unknown }).message;
      } catch {
        message = undefined;
      }
      if (response.status < 400 || response.status >= 500 || typeof message !== 'string') {
        wrong.push(`${request.what}: ${response.status} ${response.text.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
    // Still answering, with the same data.
    const after = await query([{ refId: 'A', kind: 'timeseries', metric: 'pg_connections_used' }]);
    expect(framesOf(after.results.A)).toHaveLength(1);
  });

  it('names the field: unknown metric, unknown field, from after to, retention, oversize', async () => {
    const cases: [object | string, number, RegExp][] = [
      [
        { range: range(), queries: [{ refId: 'A', kind: 'timeseries', metric: 'pg_nope' }] },
        400,
        /^queries\[0\]\.metric: unknown metric "pg_nope"/,
      ],
      [
        { range: range(), queries: [{ refId: 'A', kind: 'timeseries', metric: 'pg_tps', colour: 'red' }] },
        400,
        /^queries\[0\]\.colour: unknown field$/,
      ],
      [
        { range: { from: 2, to: 1 }, queries: [{ refId: 'A', kind: 'table', table: 'sessions' }] },
        400,
        /^range: from .* is after to/,
      ],
      [
        { range: { from: 0, to: Date.now() }, queries: [{ refId: 'A', kind: 'table', table: 'sessions' }] },
        400,
        /^range\.from: .*older than the retention of 14 days/,
      ],
      [
        { range: range(), queries: [{ refId: 'A', kind: 'table', table: 'locks' }] },
        400,
        /^queries\[0\]\.table: unknown table "locks"/,
      ],
      [
        {
          range: range(),
          queries: [{ refId: 'A', kind: 'timeseries', metric: 'pg_tps', filters: { relname: 'x' } }],
        },
        400,
        /^queries\[0\]\.filters\.relname: metric pg_tps has no label relname/,
      ],
      [{ range: range(), maxDataPoints: 20_000, queries: [] }, 400, /^maxDataPoints: must be <= 10000/],
      [
        {
          range: range(),
          queries: [
            {
              refId: 'A',
              kind: 'timeseries',
              metric: 'pg_tps',
              targets: Array.from({ length: 1001 }, (_, i) => `t${i}`),
            },
          ],
        },
        400,
        /^queries\[0\]\.targets: must NOT have more than 1000 items/,
      ],
      [JSON.stringify({ range: range(), queries: [], pad: 'x'.repeat(BODY_LIMIT) }), 413, /too large/],
    ];
    for (const [payload, status, message] of cases) {
      const response = await call<{ message: string }>(api.base, {
        method: 'POST',
        url: '/api/v1/query',
        payload: payload as object,
        headers: { 'content-type': 'application/json' },
      });
      expect({ status: response.status, message: response.body.message }).toEqual({
        status,
        message: expect.stringMatching(message),
      });
    }
  });

  it('treats injection attempts in every filter as values: no data, the store intact', async () => {
    const byLabel: Record<string, string> = {
      datname: 'pg_connections',
      state: 'pg_connections',
      application: 'pg_connections_by_application',
      relname: 'pg_table_dead_tuples',
      queryid: 'pg_statement_calls_total',
    };
    const tableOf: Record<string, string> = {
      datname: 'sessions',
      state: 'sessions',
      application: 'sessions',
      relname: 'storage',
      queryid: 'top_statements',
    };
    for (const injection of INJECTIONS) {
      const queries = Object.entries(byLabel).flatMap(([label, metric]) => [
        {
          refId: `ts-${label}`,
          kind: 'timeseries',
          metric,
          filters: { [label]: [injection] },
          legendFormat: injection,
        },
        { refId: `tb-${label}`, kind: 'table', table: tableOf[label], filters: { [label]: injection } },
      ]);
      const response = await query([
        ...queries,
        { refId: 'target', kind: 'timeseries', metric: 'pg_tps', target: injection },
      ]);
      for (const result of Object.values(response.results)) {
        // Time series: no frame; tables: a frame with no rows.
        for (const frame of framesOf(result)) {
          expect(frame.schema.meta?.type).toBeUndefined();
          expect(frame.data.values[0]).toEqual([]);
        }
      }
    }
    const after = await query([
      { refId: 'A', kind: 'timeseries', metric: 'pg_connections', filters: { datname: 'postgres' } },
    ]);
    expect(framesOf(after.results.A).length).toBeGreaterThan(0);
  });
});

describe('under pressure', () => {
  it('answers API requests 503 with Retry-After when over the memory threshold; probes still answer', async () => {
    // 1 MB: any process is above it as soon as under-pressure takes its first sample.
    const pressed = await apiServer(api.fixture, { memoryLimitMb: 1 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const pressedBase = await listen(pressed);
      const response = await call<{ message: string }>(pressedBase, {
        method: 'GET',
        url: '/api/v1/overview',
      });
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.body.message).toMatch(/overloaded/);
      expect((await call(pressedBase, { method: 'GET', url: '/healthz' })).status).toBe(200);
    } finally {
      await pressed.close();
    }
  });
});
