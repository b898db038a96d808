import { CoreApp, DataQueryRequest, DataSourceInstanceSettings, dateTime, ScopedVars } from '@grafana/data';
import { BackendSrv, BackendSrvRequest, FetchResponse, TemplateSrv } from '@grafana/runtime';
import { Observable, of, throwError } from 'rxjs';
import { DataSource } from '../src/datasource';
import type { QueryResponse } from '@pg-governor/contract';
import { PgGovernorOptions, PgGovernorQuery } from '../src/types';
import { sceneDashboard } from './scenes';

/**
 * A stand-in for Grafana's BackendSrv (the backend itself is exercised for real by the browser
 * test in test/plugin/): it records requests and answers from a table of routes. Template
 * variables are Grafana's own: see scenes.ts.
 */
export interface Answer {
  status: number;
  data: unknown;
}

export class FakeBackendSrv {
  readonly requests: BackendSrvRequest[] = [];
  constructor(private readonly answer: (request: BackendSrvRequest) => Answer) {}

  fetch<T>(request: BackendSrvRequest): Observable<FetchResponse<T>> {
    this.requests.push(request);
    const { status, data } = this.answer(request);
    if (status >= 400 || status <= 0)
      return throwError(() => ({
        status,
        statusText: status === 502 ? 'Bad Gateway' : '',
        data,
        config: request,
      }));
    return of({ status, data: data as T, ok: true } as FetchResponse<T>);
  }

  asBackendSrv(): BackendSrv {
    return this as unknown as BackendSrv;
  }
}

export const INSTANCE_URL = '/api/datasources/proxy/uid/pgg';

export function makeDataSource(
  backend: FakeBackendSrv,
  templateSrv: TemplateSrv = sceneDashboard().templateSrv,
  jsonData: PgGovernorOptions = { backendUrl: 'http://backend:8765', defaultTarget: 'main' },
): DataSource {
  const settings = {
    id: 1,
    uid: 'pgg',
    type: 'pggovernor-postgres-datasource',
    name: 'PG Governor',
    url: INSTANCE_URL,
    access: 'proxy',
    readOnly: false,
    jsonData,
    meta: { id: 'pggovernor-postgres-datasource', info: { logos: {} } },
  } as unknown as DataSourceInstanceSettings<PgGovernorOptions>;
  return new DataSource(settings, {
    backendSrv: () => backend.asBackendSrv(),
    templateSrv: () => templateSrv,
  });
}

export const RANGE = {
  from: dateTime(1_700_000_000_000),
  to: dateTime(1_700_003_600_000),
  raw: { from: 'now-1h', to: 'now' },
};

/** A dashboard panel's request: its range, interval and width, and its queries. */
export const request = (
  targets: PgGovernorQuery[],
  scopedVars: ScopedVars = {},
): DataQueryRequest<PgGovernorQuery> =>
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

/** A backend that answers /api/v1/query with the given results. */
export function queryBackend(results: QueryResponse['results']): FakeBackendSrv {
  return new FakeBackendSrv((r) =>
    r.url.endsWith('/api/api/v1/query') ? { status: 200, data: { results } } : { status: 404, data: {} },
  );
}

/** The body of a POST /api/v1/query the plugin sent. */
export const bodyOf = (r: BackendSrvRequest | undefined) =>
  r?.data as {
    range: object;
    intervalMs: number;
    maxDataPoints: number;
    queries: Array<Record<string, unknown>>;
  };
