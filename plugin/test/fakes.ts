import { DataSourceInstanceSettings, dateTime, ScopedVars } from '@grafana/data';
import { BackendSrv, BackendSrvRequest, FetchResponse, TemplateSrv } from '@grafana/runtime';
import { Observable, of, throwError } from 'rxjs';
import { DataSource } from '../src/datasource';
import { PgGovernorOptions } from '../src/types';

/**
 * Stand-ins for Grafana's own services (the backend itself is exercised for real by the browser
 * test in test/plugin/): a BackendSrv that records requests and answers from a table of routes,
 * and a TemplateSrv with Grafana's semantics for single, multi-value and "All" variables.
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

export interface FakeVariable {
  value: string | string[];
  /** Set to "All" (Grafana then hands over every value, or the custom all value). */
  all?: boolean;
  allValue?: string;
}

export class FakeTemplateSrv {
  constructor(readonly variables: Record<string, FakeVariable> = {}) {}

  getVariables() {
    return Object.keys(this.variables).map((name) => ({ name }));
  }

  replace(
    target: string | undefined,
    scopedVars?: ScopedVars,
    format?: string | ((value: unknown, variable: unknown) => string),
  ): string {
    if (!target) return '';
    return target.replace(
      /\$\{(\w+)\}|\$(\w+)/g,
      (match, braced: string | undefined, plain: string | undefined) => {
        const name = (braced ?? plain) as string;
        const scoped = scopedVars?.[name]?.value as string | string[] | undefined;
        const variable = this.variables[name];
        if (scoped === undefined && !variable) return match;
        let value = scoped ?? (variable as FakeVariable).value;
        if (scoped === undefined && variable?.all && variable.allValue !== undefined)
          value = variable.allValue;
        const model = { name, current: { value: scoped === undefined && variable?.all ? '$__all' : value } };
        if (typeof format === 'function') return format(value, model);
        return Array.isArray(value) ? value.join(',') : value;
      },
    );
  }

  asTemplateSrv(): TemplateSrv {
    return this as unknown as TemplateSrv;
  }
}

export const INSTANCE_URL = '/api/datasources/proxy/uid/pgg';

export function makeDataSource(
  backend: FakeBackendSrv,
  templateSrv = new FakeTemplateSrv(),
  jsonData: PgGovernorOptions = { backendUrl: 'http://backend:9187', defaultTarget: 'main' },
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
    templateSrv: () => templateSrv.asTemplateSrv(),
  });
}

export const RANGE = {
  from: dateTime(1_700_000_000_000),
  to: dateTime(1_700_003_600_000),
  raw: { from: 'now-1h', to: 'now' },
};
