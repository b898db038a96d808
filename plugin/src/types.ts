import { DataQuery, DataSourceJsonData } from '@grafana/schema';
import type { Aggregation, Filters, PanelQuery, SortOrder, TopBy, VariableName } from '@pg-governor/contract';
import type { Assert, SameMembers } from './contract-checks';

/**
 * The query model: exactly the fields of a POST /api/v1/query item (the contract's PanelQuery),
 * so that a panel target in a dashboard file reads the same as what the backend receives. Grafana
 * adds refId, datasource and hide. Filter values may hold template variables.
 */
export type QueryKind = PanelQuery['kind'] | 'annotations';

export interface PgGovernorQuery extends DataQuery {
  kind: QueryKind;
  target?: string;
  /** Time series: a catalog metric name. */
  metric?: string;
  filters?: Filters;
  aggregation?: Aggregation;
  groupBy?: string[];
  legendFormat?: string;
  /** Table: a catalog table kind. */
  table?: string;
  /** 'latest', '$__to' (the panel's end time), or a time. */
  asOf?: string;
  /** Time series: most series; table: Top-N rows. */
  limit?: number;
  /** Time series: keep the `limit` series highest by this over the range (else the first by labels). */
  top?: TopBy;
  orderBy?: string;
  order?: SortOrder;
  /** Annotation queries only (kind 'annotations'): event kinds to show. */
  kinds?: string[];
}

export const PANEL_TIME = '$__to';

/** Variable names of GET /api/v1/variables/:name, in the order the variable editor offers them. */
export const VARIABLE_NAMES = [
  'targets',
  'databases',
  'relations',
  'applications',
  'users',
  'queryids',
  'metrics',
  'tables',
] as const satisfies readonly VariableName[];
/** tsc fails here when the contract has a variable this list lacks. */
export type VariableNamesComplete = Assert<SameMembers<VariableName, (typeof VARIABLE_NAMES)[number]>>;

export interface PgGovernorVariableQuery extends DataQuery {
  variable: VariableName;
  target?: string;
  database?: string;
  search?: string;
  /** What it lists, in words ("databases of $target"): Grafana shows it as the variable's definition. */
  query?: string;
}

/** An annotation query as saved in a dashboard. */
export interface PgGovernorAnnotationQuery {
  kinds?: string[];
  target?: string;
}

export interface PgGovernorOptions extends DataSourceJsonData {
  backendUrl?: string;
  defaultTarget?: string;
}

export interface PgGovernorSecureOptions {
  apiToken?: string;
}

export const DEFAULT_QUERY: Partial<PgGovernorQuery> = {
  kind: 'timeseries',
  aggregation: 'avg',
};
