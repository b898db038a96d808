import { CoreApp, FieldType } from '@grafana/data';
import { BackendSrvRequest } from '@grafana/runtime';
import { bodyOf, FakeBackendSrv, INSTANCE_URL, makeDataSource, queryBackend, request } from '../test/fakes';
import { sceneDashboard } from '../test/scenes';
import type { DataFrameJSON as FrameJSON } from '@pg-governor/contract';

const seriesFrame = (refId: string): FrameJSON => ({
  schema: {
    refId,
    name: 'main',
    meta: { type: 'timeseries-multi', typeVersion: [0, 1] },
    fields: [
      { name: 'time', type: 'time', config: { interval: 30_000 } },
      {
        name: 'pgg_connections',
        type: 'number',
        config: { unit: 'short', displayNameFromDS: 'main app' },
        labels: { target: 'main', datname: 'app' },
      },
    ],
  },
  data: {
    values: [
      [1_700_000_000_000, 1_700_000_030_000],
      [3, null],
    ],
  },
});

describe('defaults and filtering', () => {
  const ds = makeDataSource(new FakeBackendSrv(() => ({ status: 200, data: {} })));

  it('starts a query as a time series of the default target, averaged', () => {
    expect(ds.getDefaultQuery(CoreApp.PanelEditor)).toEqual({
      kind: 'timeseries',
      aggregation: 'avg',
      target: 'main',
    });
  });

  it('does not send queries missing their metric or table, or hidden ones', () => {
    expect(ds.filterQuery({ refId: 'A', kind: 'timeseries' })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', kind: 'timeseries', metric: 'pgg_connections' })).toBe(true);
    expect(ds.filterQuery({ refId: 'A', kind: 'table' })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', kind: 'table', table: 'sessions' })).toBe(true);
    expect(ds.filterQuery({ refId: 'A', kind: 'table', table: 'sessions', hide: true })).toBe(false);
  });
});

describe('query()', () => {
  it('sends one request per panel through the proxy route, with only the fields the backend accepts', async () => {
    const backend = queryBackend({ A: { frames: [seriesFrame('A')] }, B: { frames: [] } });
    const ds = makeDataSource(backend);
    await ds.query(
      request([
        {
          refId: 'A',
          kind: 'timeseries',
          target: 'main',
          metric: 'pgg_connections',
          aggregation: 'max',
          groupBy: ['datname'],
          legendFormat: '{{datname}}',
          limit: 10,
          top: 'max',
          // Fields of the other kind and Grafana's own are not sent.
          table: 'sessions',
          datasource: { type: 'pggovernor-postgres-datasource', uid: 'pgg' },
          filters: {},
        },
        {
          refId: 'B',
          kind: 'table',
          table: 'sessions',
          asOf: 'latest',
          limit: 5,
          orderBy: 'xact_age_seconds',
          order: 'desc',
          metric: 'x',
        },
        { refId: 'C', kind: 'timeseries' },
      ]),
    );
    expect(backend.requests).toHaveLength(1);
    expect(backend.requests[0]?.method).toBe('POST');
    expect(backend.requests[0]?.url).toBe(`${INSTANCE_URL}/api/api/v1/query`);
    expect(bodyOf(backend.requests[0])).toEqual({
      range: { from: 1_700_000_000_000, to: 1_700_003_600_000 },
      intervalMs: 30_000,
      maxDataPoints: 800,
      queries: [
        {
          refId: 'A',
          kind: 'timeseries',
          target: 'main',
          metric: 'pgg_connections',
          aggregation: 'max',
          groupBy: ['datname'],
          legendFormat: '{{datname}}',
          limit: 10,
          top: 'max',
        },
        {
          refId: 'B',
          kind: 'table',
          table: 'sessions',
          asOf: 'latest',
          limit: 5,
          orderBy: 'xact_age_seconds',
          order: 'desc',
        },
      ],
    });
  });

  it('turns frames into data frames with field types, units, labels and display names', async () => {
    const ds = makeDataSource(queryBackend({ A: { frames: [seriesFrame('A')] } }));
    const response = await ds.query(request([{ refId: 'A', kind: 'timeseries', metric: 'pgg_connections' }]));
    expect(response.errors).toBeUndefined();
    const frame = response.data[0];
    expect(frame.refId).toBe('A');
    expect(frame.fields.map((f: { type: FieldType }) => f.type)).toEqual([FieldType.time, FieldType.number]);
    expect(frame.fields[0].values).toEqual([1_700_000_000_000, 1_700_000_030_000]);
    expect(frame.fields[1].values).toEqual([3, null]);
    expect(frame.fields[1].config).toEqual({ unit: 'short', displayNameFromDS: 'main app' });
    expect(frame.fields[1].labels).toEqual({ target: 'main', datname: 'app' });
  });

  it('maps an error of one refId to that query only', async () => {
    const ds = makeDataSource(
      queryBackend({ A: { frames: [seriesFrame('A')] }, B: { error: 'queries[1].table: no snapshot yet' } }),
    );
    const response = await ds.query(
      request([
        { refId: 'A', kind: 'timeseries', metric: 'pgg_connections' },
        { refId: 'B', kind: 'table', table: 'sessions' },
      ]),
    );
    expect(response.data.map((f: { refId: string }) => f.refId)).toEqual(['A']);
    expect(response.errors).toEqual([{ refId: 'B', message: 'queries[1].table: no snapshot yet' }]);
  });

  it('shows a refused request (400 naming the field) on every query of it', async () => {
    const backend = new FakeBackendSrv(() => ({
      status: 400,
      data: { error: 'Bad Request', message: 'queries[0].metric: unknown metric "pg_nope"' },
    }));
    const response = await makeDataSource(backend).query(
      request([
        { refId: 'A', kind: 'timeseries', metric: 'pg_nope' },
        { refId: 'B', kind: 'timeseries', metric: 'pgg_connections' },
      ]),
    );
    expect(response.errors).toEqual([
      { refId: 'A', message: 'queries[0].metric: unknown metric "pg_nope"' },
      { refId: 'B', message: 'queries[0].metric: unknown metric "pg_nope"' },
    ]);
  });

  it('turns backend events into an annotation frame', async () => {
    const backend = new FakeBackendSrv((r) =>
      r.url.includes('/api/v1/annotations')
        ? {
            status: 200,
            data: [
              {
                time: 10,
                timeEnd: 20,
                title: 'Terminated pid',
                text: 'idle in transaction',
                tags: ['intervention', 'main'],
              },
            ],
          }
        : { status: 404, data: {} },
    );
    const { templateSrv, panelScope } = sceneDashboard([
      { name: 'target', options: ['a', 'b', 'c'], multi: true, selected: ['a', 'b'] },
    ]);
    const ds = makeDataSource(backend, templateSrv);
    const response = await ds.query(
      request(
        [{ refId: 'Anno', kind: 'annotations', kinds: ['interventions', 'alerts'], target: '$target' }],
        panelScope,
      ),
    );
    const url = new URL(backend.requests[0]?.url ?? '', 'http://grafana');
    expect(url.pathname).toBe(`${INSTANCE_URL}/api/api/v1/annotations`);
    expect(url.searchParams.getAll('kind')).toEqual(['interventions', 'alerts']);
    expect(url.searchParams.getAll('target')).toEqual(['a', 'b']);
    expect(url.searchParams.get('from')).toBe('1700000000000');
    const frame = response.data[0];
    expect(frame.fields.map((f: { name: string }) => f.name)).toEqual([
      'time',
      'timeEnd',
      'title',
      'text',
      'tags',
    ]);
    expect(frame.fields[2].values).toEqual(['Terminated pid']);
    expect(frame.fields[4].values).toEqual([['intervention', 'main']]);
  });
});

describe('testDatasource()', () => {
  const overview = { version: '0.1.0', time: 1, targets: [{ name: 'main' }, { name: 'replica' }] };
  const readyz = (status: number, body: object) => (r: BackendSrvRequest) =>
    r.url.endsWith('/api/api/v1/overview')
      ? { status: 200, data: overview }
      : r.url.endsWith('/api/readyz')
        ? { status, data: body }
        : { status: 404, data: {} };

  it('reports the version and the targets when the backend is ready', async () => {
    const ds = makeDataSource(
      new FakeBackendSrv(readyz(200, { status: 'ready', problems: [], targets: [] })),
    );
    expect(await ds.testDatasource()).toEqual({
      status: 'success',
      message: 'Connected to PG Governor 0.1.0, 2 target(s): main, replica',
    });
  });

  it('names the reasons when the backend is degraded', async () => {
    const ds = makeDataSource(
      new FakeBackendSrv(
        readyz(503, { status: 'not ready', problems: ['target replica: connection refused'], targets: [] }),
      ),
    );
    const result = await ds.testDatasource();
    expect(result.status).toBe('error');
    expect(result.message).toBe(
      'PG Governor 0.1.0, 2 target(s): main, replica: the backend is degraded: target replica: connection refused',
    );
  });

  it('says the token was refused on a 401', async () => {
    const ds = makeDataSource(
      new FakeBackendSrv(() => ({
        status: 401,
        data: { message: 'authorization: the bearer token is not valid' },
      })),
    );
    const result = await ds.testDatasource();
    expect(result.status).toBe('error');
    expect(result.message).toMatch(
      /refused the API token \(401\): authorization: the bearer token is not valid/,
    );
  });

  it('says the backend cannot be reached when the proxy answers 502', async () => {
    const ds = makeDataSource(new FakeBackendSrv(() => ({ status: 502, data: { message: 'Bad Gateway' } })));
    const result = await ds.testDatasource();
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/cannot be reached \(502 Bad Gateway\); check the backend URL/);
  });
});
