import { CoreApp, DataQueryRequest, FieldType } from '@grafana/data';
import { BackendSrvRequest } from '@grafana/runtime';
import { lastValueFrom, Observable } from 'rxjs';
import { FakeBackendSrv, FakeTemplateSrv, INSTANCE_URL, makeDataSource, RANGE } from '../test/fakes';
import type { DataFrameJSON as FrameJSON, QueryResponse } from '@pg-governor/contract';
import { PgGovernorQuery, PgGovernorVariableQuery } from './types';

const request = (targets: PgGovernorQuery[], scopedVars = {}): DataQueryRequest<PgGovernorQuery> =>
  ({
    requestId: 'Q1',
    app: CoreApp.Dashboard,
    range: RANGE,
    interval: '30s',
    intervalMs: 30_000,
    maxDataPoints: 800,
    scopedVars,
    targets,
    timezone: 'utc',
    startTime: 0,
  }) as DataQueryRequest<PgGovernorQuery>;

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

/** A backend that answers /api/v1/query with a series for A and an error for B. */
function queryBackend(results: QueryResponse['results']): FakeBackendSrv {
  return new FakeBackendSrv((r) =>
    r.url.endsWith('/api/api/v1/query') ? { status: 200, data: { results } } : { status: 404, data: {} },
  );
}

const bodyOf = (r: BackendSrvRequest | undefined) =>
  r?.data as {
    range: object;
    intervalMs: number;
    maxDataPoints: number;
    queries: Array<Record<string, unknown>>;
  };

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
    const ds = makeDataSource(backend, new FakeTemplateSrv({ target: { value: ['a', 'b'] } }));
    const response = await ds.query(
      request([
        { refId: 'Anno', kind: 'annotations', kinds: ['interventions', 'alerts'], target: '$target' },
      ]),
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

describe('template variables', () => {
  const templateSrv = new FakeTemplateSrv({
    target: { value: 'main' },
    targets: { value: ['main', 'replica'] },
    database: { value: ['app', 'billing'] },
    everything: { value: ['x', 'y'], all: true },
    customAll: { value: ['x'], all: true, allValue: '.*' },
    metric: { value: 'pgg_connections' },
    agg: { value: 'max' },
    label: { value: 'datname' },
    labels: { value: ['datname', 'state'] },
    table: { value: 'sessions' },
    column: { value: 'xact_age_seconds' },
    dir: { value: 'asc' },
  });

  async function sent(queries: PgGovernorQuery[], scopedVars = {}) {
    const backend = queryBackend({});
    await makeDataSource(backend, templateSrv).query(request(queries, scopedVars));
    return bodyOf(backend.requests[0]).queries;
  }

  it('replaces single values in every field of a time series query', async () => {
    expect(
      await sent([
        {
          refId: 'A',
          kind: 'timeseries',
          target: '$target',
          metric: '$metric',
          aggregation: '$agg' as 'max',
          groupBy: ['$label'],
          legendFormat: '{{datname}} on $target',
          filters: { datname: '${database}', state: 'active' },
        },
      ]),
    ).toEqual([
      {
        refId: 'A',
        kind: 'timeseries',
        target: 'main',
        metric: 'pgg_connections',
        aggregation: 'max',
        groupBy: ['datname'],
        legendFormat: '{{datname}} on main',
        filters: { datname: ['app', 'billing'], state: 'active' },
      },
    ]);
  });

  it('sends a multi-value target as targets, and multi-value group-bys as a list', async () => {
    const [query] = await sent([
      {
        refId: 'A',
        kind: 'timeseries',
        target: '$targets',
        metric: 'pgg_connections',
        groupBy: ['$labels', 'target'],
      },
    ]);
    expect(query).toEqual({
      refId: 'A',
      kind: 'timeseries',
      targets: ['main', 'replica'],
      metric: 'pgg_connections',
      groupBy: ['datname', 'state', 'target'],
    });
  });

  it('drops a filter or target set to "All" (with or without a custom all value)', async () => {
    const [query] = await sent([
      {
        refId: 'A',
        kind: 'timeseries',
        target: '$everything',
        metric: 'pgg_connections',
        filters: { datname: '$everything', application: '$customAll', state: 'active' },
      },
    ]);
    expect(query).toEqual({
      refId: 'A',
      kind: 'timeseries',
      metric: 'pgg_connections',
      filters: { state: 'active' },
    });
  });

  it('replaces every field of a table query; "panel time" becomes the end of the range', async () => {
    const [query] = await sent([
      {
        refId: 'B',
        kind: 'table',
        target: '$target',
        table: '$table',
        orderBy: '$column',
        order: '$dir' as 'asc',
        asOf: '$__to',
        limit: 20,
        filters: { datname: ['$database', 'other'] },
      },
    ]);
    expect(query).toEqual({
      refId: 'B',
      kind: 'table',
      target: 'main',
      table: 'sessions',
      orderBy: 'xact_age_seconds',
      order: 'asc',
      asOf: '1700003600000',
      limit: 20,
      filters: { datname: ['app', 'billing', 'other'] },
    });
  });

  it('prefers the scoped value (a repeated panel) over the dashboard value', async () => {
    const [query] = await sent([{ refId: 'A', kind: 'timeseries', target: '$target', metric: 'pgg_up' }], {
      target: { text: 'replica', value: 'replica' },
    });
    expect(query?.target).toBe('replica');
  });
});

describe('variable queries', () => {
  it('lists backend variable values as text/value, chained to $target and $database', async () => {
    const backend = new FakeBackendSrv(() => ({ status: 200, data: [{ text: 'app', value: 'app' }] }));
    const ds = makeDataSource(
      backend,
      new FakeTemplateSrv({ target: { value: 'main' }, database: { value: 'app' } }),
    );
    const query: PgGovernorVariableQuery = {
      refId: 'V',
      variable: 'relations',
      target: '$target',
      database: '$database',
    };
    const variables = ds.variables as unknown as {
      query(
        r: DataQueryRequest<PgGovernorVariableQuery>,
      ): Observable<{ data: Array<{ fields: Array<{ name: string; values: unknown[] }> }> }>;
    };
    const response = await lastValueFrom(
      variables.query({
        ...request([]),
        targets: [query],
      } as unknown as DataQueryRequest<PgGovernorVariableQuery>),
    );
    expect(backend.requests[0]?.url).toBe(
      `${INSTANCE_URL}/api/api/v1/variables/relations?target=main&database=app`,
    );
    expect(response.data[0]?.fields.map((f) => [f.name, f.values])).toEqual([
      ['text', ['app']],
      ['value', ['app']],
    ]);
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
