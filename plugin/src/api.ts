import { BackendSrv, FetchError, isFetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import type { ErrorBody } from '@pg-governor/contract';

/**
 * The backend as seen through Grafana's data-source proxy: plugin.json's route "api" forwards
 * `<instance url>/api/...` to the configured backend URL and adds the bearer token there, so
 * the token never reaches the browser.
 */
export class BackendApi {
  constructor(
    private readonly backendSrv: () => BackendSrv,
    private readonly instanceUrl: string,
  ) {}

  /** A path of the backend (e.g. '/api/v1/catalog', '/readyz') as the proxy serves it. */
  url(path: string, params?: Record<string, string | string[] | number | undefined>): string {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params ?? {})) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) query.append(key, String(v));
    }
    const qs = query.toString();
    return `${this.instanceUrl}/api${path}${qs ? `?${qs}` : ''}`;
  }

  async get<T>(path: string, params?: Record<string, string | string[] | number | undefined>): Promise<T> {
    return this.send<T>({ method: 'GET', url: this.url(path, params) });
  }

  async post<T>(path: string, data: unknown, requestId?: string): Promise<T> {
    return this.send<T>({ method: 'POST', url: this.url(path), data, ...(requestId ? { requestId } : {}) });
  }

  private async send<T>(options: {
    method: string;
    url: string;
    data?: unknown;
    requestId?: string;
  }): Promise<T> {
    const response = await lastValueFrom(
      this.backendSrv().fetch<T>({ ...options, showErrorAlert: false, showSuccessAlert: false }),
    );
    return response.data;
  }
}

/** What went wrong with a call, in words a Grafana user can act on. */
export function describeFetchError(error: unknown): string {
  if (!isFetchError(error)) return error instanceof Error ? error.message : String(error);
  const e = error as FetchError<ErrorBody | string | undefined>;
  const body = typeof e.data === 'object' && e.data ? e.data.message : undefined;
  if (e.status === 401)
    return `the backend refused the API token (401)${body ? `: ${body}` : ''}; check the token in the data source settings`;
  if (e.status === 403) return `the API token may not do this (403)${body ? `: ${body}` : ''}`;
  if (e.status === 502 || e.status === 504 || !e.status || e.status <= 0)
    return `the PG Governor backend cannot be reached (${e.status || 'network error'}${e.statusText ? ` ${e.statusText}` : ''}); check the backend URL and that the backend runs`;
  return body ?? `the backend answered ${e.status}${e.statusText ? ` ${e.statusText}` : ''}`;
}

export function fetchStatus(error: unknown): number | undefined {
  return isFetchError(error) ? error.status : undefined;
}
