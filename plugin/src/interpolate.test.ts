import { DataQueryRequest, ScopedVars } from '@grafana/data';
import { lastValueFrom, Observable } from 'rxjs';
import { bodyOf, FakeBackendSrv, INSTANCE_URL, makeDataSource, queryBackend, request } from '../test/fakes';
import { ALL, sceneDashboard, VariableSpec } from '../test/scenes';
import { PgGovernorQuery, PgGovernorVariableQuery } from './types';

/**
 * Template variables as a Grafana 12 dashboard (a scene, through the real @grafana/scenes code)
 * hands them to the data source, and the request the plugin then sends to the backend.
 */

const FLEET = Array.from({ length: 500 }, (_, i) => `pg-${String(i).padStart(3, '0')}`);

/** The queries of the POST /api/v1/query the plugin sends for these queries on this dashboard. */
async function sent(variables: VariableSpec[], queries: PgGovernorQuery[], scopedVars: ScopedVars = {}) {
  const backend = queryBackend({});
  const { templateSrv, panelScope } = sceneDashboard(variables);
  await makeDataSource(backend, templateSrv).query(request(queries, { ...panelScope, ...scopedVars }));
  expect(backend.requests).toHaveLength(1);
  return bodyOf(backend.requests[0]).queries;
}

const connections = (fields: Partial<PgGovernorQuery> & { targets?: string[] }): PgGovernorQuery => ({
  refId: 'A',
  kind: 'timeseries',
  metric: 'pgg_connections',
  ...fields,
});

describe('"All"', () => {
  // Fleet overview's variables: target and database, multi-value with "All".
  const fleet = (target: VariableSpec['selected'], extra: Partial<VariableSpec> = {}): VariableSpec[] => [
    { name: 'target', options: FLEET, multi: true, includeAll: true, selected: target, ...extra },
    { name: 'database', options: ['app', 'billing'], multi: true, includeAll: true, selected: [ALL] },
  ];
  const fleetQuery = connections({ target: '$target', filters: { datname: '$database' } });

  it('is no target filter at all for a fleet of 500, not 500 names', async () => {
    expect(await sent(fleet([ALL]), [fleetQuery])).toEqual([
      { refId: 'A', kind: 'timeseries', metric: 'pgg_connections' },
    ]);
  });

  it('is no filter whatever the variable listed at its last refresh (none, or a blank)', async () => {
    expect(await sent(fleet([ALL], { options: [] }), [fleetQuery])).toEqual([connections({})]);
    expect(await sent(fleet([ALL], { options: ['', 'pg-1'] }), [fleetQuery])).toEqual([connections({})]);
  });

  it('is no filter for a single-value variable with "All" too', async () => {
    const variables: VariableSpec[] = [{ name: 'target', options: FLEET, includeAll: true, selected: ALL }];
    expect(await sent(variables, [connections({ target: '$target' })])).toEqual([connections({})]);
  });

  it('is no filter with a custom all value, a pattern or a literal', async () => {
    for (const allValue of ['.*', '*', 'every', '$__all']) {
      const queries = await sent(fleet([ALL], { allValue }), [fleetQuery]);
      expect({ allValue, queries }).toEqual({ allValue, queries: [connections({})] });
    }
  });

  it('is no filter for a variable kept out of the URL, with or without a custom all value', async () => {
    expect(await sent(fleet([ALL], { skipUrlSync: true }), [fleetQuery])).toEqual([connections({})]);
    expect(await sent(fleet([ALL], { skipUrlSync: true, allValue: '.*' }), [fleetQuery])).toEqual([
      connections({}),
    ]);
  });

  it('drops the whole filter it is part of, and keeps the others', async () => {
    const [query] = await sent(fleet(['pg-001']), [
      connections({
        target: '$target',
        filters: { datname: ['$database', 'postgres'], state: 'active' },
      }),
    ]);
    expect(query).toEqual(connections({ target: 'pg-001', filters: { state: 'active' } }));
  });

  it('lists annotations of every target', async () => {
    const backend = new FakeBackendSrv(() => ({ status: 200, data: [] }));
    const { templateSrv, panelScope } = sceneDashboard(fleet([ALL]));
    await makeDataSource(backend, templateSrv).query(
      request([{ refId: 'Anno', kind: 'annotations', target: '$target' }], panelScope),
    );
    const url = new URL(backend.requests[0]?.url ?? '', 'http://grafana');
    expect(url.searchParams.has('target')).toBe(false);
  });
});

describe('multi-value selections', () => {
  it('arrive as lists, a target list as targets', async () => {
    const variables: VariableSpec[] = [
      { name: 'target', options: FLEET, multi: true, includeAll: true, selected: FLEET.slice(0, 3) },
      {
        name: 'labels',
        options: ['datname', 'state', 'usename'],
        multi: true,
        selected: ['datname', 'state'],
      },
    ];
    const [query] = await sent(variables, [
      connections({ target: '$target', groupBy: ['$labels', 'target'] }),
    ]);
    expect(query).toEqual(
      connections({ targets: ['pg-000', 'pg-001', 'pg-002'], groupBy: ['datname', 'state', 'target'] }),
    );
  });

  it('keep every value exactly: commas, quotes, spaces, an empty string', async () => {
    const odd = ['a,b', `it's "quoted"`, '  spaced out ', '', '{x,y}', 'back\\slash'];
    const variables: VariableSpec[] = [
      { name: 'app', options: [...odd, 'other'], multi: true, includeAll: true, selected: odd },
    ];
    const [query] = await sent(variables, [connections({ filters: { application_name: '$app' } })]);
    expect(query?.filters).toEqual({ application_name: odd });
  });

  it('merge with the other values of a filter, once each', async () => {
    const variables: VariableSpec[] = [
      { name: 'database', options: ['app', 'billing'], multi: true, selected: ['app', 'billing'] },
    ];
    const [query] = await sent(variables, [connections({ filters: { datname: ['$database', 'app', 'x'] } })]);
    expect(query?.filters).toEqual({ datname: ['app', 'billing', 'x'] });
  });

  it('keep the text around a variable on each of its values', async () => {
    const variables: VariableSpec[] = [
      { name: 'env', options: ['eu', 'us'], multi: true, selected: ['eu', 'us'] },
    ];
    const [query] = await sent(variables, [connections({ target: 'pg-$env-1' })]);
    expect(query?.targets).toEqual(['pg-eu-1', 'pg-us-1']);
  });

  it('with nothing selected are no filter', async () => {
    const variables: VariableSpec[] = [{ name: 'database', options: [], multi: true, selected: [] }];
    const [query] = await sent(variables, [connections({ filters: { datname: '$database' } })]);
    expect(query).toEqual(connections({}));
  });
});

describe('single values', () => {
  const variables: VariableSpec[] = [
    { name: 'target', options: ['main', 'replica'], selected: 'main' },
    { name: 'database', options: ['app', 'billing'], multi: true, selected: ['app', 'billing'] },
    { name: 'metric', options: ['pgg_connections'], selected: 'pgg_connections' },
    { name: 'agg', options: ['max'], selected: 'max' },
    { name: 'label', options: ['datname'], selected: 'datname' },
    { name: 'table', options: ['sessions'], selected: 'sessions' },
    { name: 'column', options: ['xact_age_seconds'], selected: 'xact_age_seconds' },
    { name: 'dir', options: ['asc'], selected: 'asc' },
  ];

  it('replace every field of a time series query', async () => {
    expect(
      await sent(variables, [
        {
          refId: 'A',
          kind: 'timeseries',
          target: '$target',
          metric: '$metric',
          aggregation: '$agg' as 'max',
          groupBy: ['$label'],
          legendFormat: '{{datname}} on $target of ${database}',
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
        legendFormat: '{{datname}} on main of app,billing',
        filters: { datname: ['app', 'billing'], state: 'active' },
      },
    ]);
  });

  it('replace every field of a table query; "panel time" becomes the end of the range', async () => {
    const [query] = await sent(variables, [
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

  it('prefer the scoped value (a repeated panel) over the dashboard value', async () => {
    const [query] = await sent(variables, [connections({ target: '$target' })], {
      target: { text: 'replica', value: 'replica' },
    });
    expect(query?.target).toBe('replica');
  });
});

describe('variable queries', () => {
  const variableValues = async (variables: VariableSpec[], query: PgGovernorVariableQuery) => {
    const backend = new FakeBackendSrv(() => ({ status: 200, data: [{ text: 'app', value: 'app' }] }));
    const { templateSrv, panelScope } = sceneDashboard(variables);
    const support = makeDataSource(backend, templateSrv).variables as unknown as {
      query(
        r: DataQueryRequest<PgGovernorVariableQuery>,
      ): Observable<{ data: Array<{ fields: Array<{ name: string; values: unknown[] }> }> }>;
    };
    const response = await lastValueFrom(
      support.query({
        ...request([], panelScope),
        targets: [query],
      } as unknown as DataQueryRequest<PgGovernorVariableQuery>),
    );
    return { url: backend.requests[0]?.url, response };
  };

  it('list backend values as text/value, chained to $target and $database', async () => {
    const { url, response } = await variableValues(
      [
        { name: 'target', options: ['main'], selected: 'main' },
        { name: 'database', options: ['app'], selected: 'app' },
      ],
      { refId: 'V', variable: 'relations', target: '$target', database: '$database' },
    );
    expect(url).toBe(`${INSTANCE_URL}/api/api/v1/variables/relations?target=main&database=app`);
    expect(response.data[0]?.fields.map((f) => [f.name, f.values])).toEqual([
      ['text', ['app']],
      ['value', ['app']],
    ]);
  });

  it('chained to a target set to "All" are those of every target', async () => {
    const { url } = await variableValues(
      [{ name: 'target', options: FLEET, multi: true, includeAll: true, selected: [ALL] }],
      { refId: 'V', variable: 'databases', target: '$target' },
    );
    expect(url).toBe(`${INSTANCE_URL}/api/api/v1/variables/databases`);
  });
});
