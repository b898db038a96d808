import {
  CoreApp,
  DataFrame,
  DataQueryError,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceInstanceSettings,
  ScopedVars,
  TestDataSourceResponse,
} from '@grafana/data';
import { BackendSrv, getBackendSrv, getTemplateSrv, TemplateSrv } from '@grafana/runtime';
import type {
  Annotations,
  AnnotationsQuery,
  CatalogResponse,
  QueryRequest,
  QueryResponse,
  VariableQuery,
  VariableValues,
} from '@pg-governor/contract';
import { annotationSupport, annotationsFrame } from './annotations';
import { BackendApi, describeFetchError } from './api';
import { framesOf } from './frames';
import { checkHealth } from './health';
import { interpolateList, interpolateQuery } from './interpolate';
import { BackendQuery, isRunnable, toBackendQuery } from './request';
import { DEFAULT_QUERY, PgGovernorOptions, PgGovernorQuery, PgGovernorVariableQuery } from './types';
import { PgGovernorVariableSupport } from './variables';

export interface Services {
  backendSrv: () => BackendSrv;
  templateSrv: () => TemplateSrv;
}

const grafanaServices: Services = { backendSrv: getBackendSrv, templateSrv: getTemplateSrv };

/**
 * A frontend-only data source: every call goes through Grafana's data-source proxy (the route in
 * plugin.json), one POST /api/v1/query per panel refresh.
 */
export class DataSource extends DataSourceApi<PgGovernorQuery, PgGovernorOptions> {
  readonly api: BackendApi;
  readonly defaultTarget: string | undefined;
  private catalog: Promise<CatalogResponse> | undefined;

  constructor(
    instanceSettings: DataSourceInstanceSettings<PgGovernorOptions>,
    private readonly services: Services = grafanaServices,
  ) {
    super(instanceSettings);
    this.api = new BackendApi(services.backendSrv, instanceSettings.url ?? '');
    this.defaultTarget = instanceSettings.jsonData.defaultTarget || undefined;
    this.annotations = annotationSupport();
    this.variables = new PgGovernorVariableSupport(this);
  }

  override getDefaultQuery(_app: CoreApp): Partial<PgGovernorQuery> {
    return { ...DEFAULT_QUERY, ...(this.defaultTarget ? { target: this.defaultTarget } : {}) };
  }

  override filterQuery(query: PgGovernorQuery): boolean {
    return isRunnable(query);
  }

  /** Explore and dashboard links: the query as the backend would get it. */
  applyTemplateVariables(query: PgGovernorQuery, scopedVars: ScopedVars): PgGovernorQuery {
    return interpolateQuery(this.services.templateSrv(), query, scopedVars);
  }

  async query(request: DataQueryRequest<PgGovernorQuery>): Promise<DataQueryResponse> {
    const templateSrv = this.services.templateSrv();
    const runnable = request.targets.filter(isRunnable);
    const interpolated = runnable.map((q) => interpolateQuery(templateSrv, q, request.scopedVars));
    const to = request.range.to.valueOf();
    const panelQueries = interpolated
      .map((q) => toBackendQuery(q, to))
      .filter((q): q is BackendQuery => q !== undefined);
    const annotationQueries = interpolated.filter((q) => q.kind === 'annotations');

    const data: DataFrame[] = [];
    const errors: DataQueryError[] = [];
    const parts = await Promise.all([
      panelQueries.length > 0 ? this.panelFrames(request, panelQueries) : { data: [], errors: [] },
      ...annotationQueries.map((q) => this.annotationFrames(request, q)),
    ]);
    for (const part of parts) {
      data.push(...part.data);
      errors.push(...part.errors);
    }
    return errors.length > 0 ? { data, errors, error: errors[0] } : { data };
  }

  private async panelFrames(
    request: DataQueryRequest<PgGovernorQuery>,
    queries: BackendQuery[],
  ): Promise<{ data: DataFrame[]; errors: DataQueryError[] }> {
    const body = {
      range: { from: request.range.from.valueOf(), to: request.range.to.valueOf() },
      ...(request.intervalMs ? { intervalMs: Math.max(1, Math.round(request.intervalMs)) } : {}),
      ...(request.maxDataPoints
        ? { maxDataPoints: Math.min(10_000, Math.round(request.maxDataPoints)) }
        : {}),
      queries,
    } satisfies Omit<QueryRequest, 'queries'> & { queries: BackendQuery[] };
    const refIds = queries.map((q) => q.refId);
    try {
      const response = await this.api.post<QueryResponse>('/api/v1/query', body, request.requestId);
      return framesOf(response, refIds);
    } catch (error) {
      // The request as a whole was refused (a 400 names the field): every query shows why.
      const message = describeFetchError(error);
      return { data: [], errors: refIds.map((refId) => ({ refId, message })) };
    }
  }

  private async annotationFrames(
    request: DataQueryRequest<PgGovernorQuery>,
    query: PgGovernorQuery & { targets?: string[] },
  ): Promise<{ data: DataFrame[]; errors: DataQueryError[] }> {
    const targets = query.targets ?? (query.target ? [query.target] : undefined);
    try {
      const events = await this.api.get<Annotations>('/api/v1/annotations', {
        from: request.range.from.valueOf(),
        to: request.range.to.valueOf(),
        target: targets,
        // Kinds as saved (maybe custom or a variable's): the backend names one it does not know.
        kind: query.kinds && query.kinds.length > 0 ? query.kinds : undefined,
      } satisfies Omit<AnnotationsQuery, 'kind'> & { kind?: string[] });
      return { data: [annotationsFrame(events, query.refId)], errors: [] };
    } catch (error) {
      return { data: [], errors: [{ refId: query.refId, message: describeFetchError(error) }] };
    }
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    return checkHealth(this.api);
  }

  /** The backend's catalog of metrics and tables, fetched once per data source instance. */
  getCatalog(): Promise<CatalogResponse> {
    this.catalog ??= this.api.get<CatalogResponse>('/api/v1/catalog').catch((error: unknown) => {
      this.catalog = undefined;
      throw new Error(describeFetchError(error));
    });
    return this.catalog;
  }

  /** The dashboard's template variables, offered first in the editors' value lists. */
  templateVariableOptions(): Array<{ label: string; value: string }> {
    return this.services
      .templateSrv()
      .getVariables()
      .map((v) => ({ label: `$${v.name}`, value: `$${v.name}` }));
  }

  /** Values of a backend template variable (targets, databases, ...), variables in the scope replaced. */
  async variableValues(query: PgGovernorVariableQuery, scopedVars: ScopedVars = {}): Promise<VariableValues> {
    const templateSrv = this.services.templateSrv();
    const one = (text: string | undefined): string | undefined => {
      if (!text) return undefined;
      const values = interpolateList(templateSrv, text, scopedVars);
      return values && values.length === 1 ? values[0] : undefined;
    };
    try {
      return await this.api.get<VariableValues>(`/api/v1/variables/${encodeURIComponent(query.variable)}`, {
        target: one(query.target),
        database: one(query.database),
        search: query.search ? templateSrv.replace(query.search, scopedVars) : undefined,
      } satisfies VariableQuery);
    } catch (error) {
      throw new Error(describeFetchError(error));
    }
  }
}
