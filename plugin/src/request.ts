import type { PanelQuery, TableQuery, TimeSeriesQuery } from '@pg-governor/contract';
import type { Fits } from './contract-checks';
import { PANEL_TIME, PgGovernorQuery } from './types';

/**
 * One item of POST /api/v1/query. The backend's schema is strict (an unknown field is a 400), so
 * only the fields of the query's own kind are copied, and empty ones are left out.
 */
export type BackendQuery = Record<string, unknown> & Pick<PanelQuery, 'refId' | 'kind'>;

type Interpolated = PgGovernorQuery & { targets?: string[] };

type Fields<Q> = ReadonlyArray<keyof Q>;
const COMMON = ['refId', 'target', 'targets', 'filters'] as const satisfies Fields<PanelQuery>;
const TIMESERIES = [
  'metric',
  'aggregation',
  'groupBy',
  'legendFormat',
  'limit',
  'top',
] as const satisfies Fields<TimeSeriesQuery>;
const TABLE = ['table', 'asOf', 'limit', 'orderBy', 'order'] as const satisfies Fields<TableQuery>;

type Copied<K extends keyof Interpolated> = Required<Pick<Interpolated, K>>;

/** tsc fails here when a field copied from the query model no longer fits the contract's. */
export type CopiedFieldsFit = [
  Fits<Copied<(typeof COMMON)[number]>, Pick<Required<PanelQuery>, (typeof COMMON)[number]>>,
  Fits<Copied<(typeof TIMESERIES)[number]>, Pick<Required<TimeSeriesQuery>, (typeof TIMESERIES)[number]>>,
  Fits<Copied<(typeof TABLE)[number]>, Pick<Required<TableQuery>, (typeof TABLE)[number]>>,
];

const isEmpty = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  value === '' ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);

export function toBackendQuery(query: Interpolated, rangeToMs: number): BackendQuery | undefined {
  if (query.kind !== 'timeseries' && query.kind !== 'table') return undefined;
  const source: Interpolated = { ...query };
  if (source.asOf === PANEL_TIME) source.asOf = String(rangeToMs);
  const out: Record<string, unknown> = {};
  const keys = [...COMMON, ...(query.kind === 'timeseries' ? TIMESERIES : TABLE)];
  for (const key of keys) {
    const value = source[key];
    if (!isEmpty(value)) out[key] = value;
  }
  return { ...out, refId: query.refId, kind: query.kind };
}

/** A query worth sending: not hidden, and its kind's required field set. */
export function isRunnable(query: PgGovernorQuery): boolean {
  if (query.hide) return false;
  if (query.kind === 'timeseries') return Boolean(query.metric);
  if (query.kind === 'table') return Boolean(query.table);
  return query.kind === 'annotations';
}
