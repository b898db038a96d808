/** What the PG Governor API answers (backend/src/api): only the parts the plugin reads. */

export interface SqlText {
  major: number | null;
  file: string;
  text: string;
}

export interface CatalogMetric {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  unit: string;
  rateUnit?: string;
  labels: string[];
  domain?: string;
  description?: string;
  loop: string;
  collector: string;
  sql: SqlText[];
}

export interface CatalogColumn {
  name: string;
  type: 'number' | 'string' | 'time' | 'boolean';
  unit?: string;
  description?: string;
}

export interface CatalogTable {
  kind: string;
  description: string;
  source: 'snapshot' | 'events';
  columns: CatalogColumn[];
  sql: SqlText[];
}

export interface Catalog {
  version: string;
  metrics: CatalogMetric[];
  tables: CatalogTable[];
}

export interface VariableValue {
  text: string;
  value: string;
}

export interface BackendAnnotation {
  time: number;
  timeEnd?: number;
  title: string;
  text: string;
  tags: string[];
}

export interface ReadyzTarget {
  name: string;
  state: string;
  reason?: string;
  major?: number;
}

export interface Readyz {
  status: 'ready' | 'not ready';
  problems: string[];
  targets: ReadyzTarget[];
}

export interface FieldJSON {
  name: string;
  type: 'time' | 'number' | 'string' | 'boolean';
  config: Record<string, unknown>;
  labels?: Record<string, string>;
}

export interface FrameJSON {
  schema: { refId: string; name?: string; meta?: Record<string, unknown>; fields: FieldJSON[] };
  data: { values: unknown[][] };
}

export type RefIdResult = { frames: FrameJSON[] } | { error: string };

export interface QueryResponse {
  results: Record<string, RefIdResult>;
}

/** The body of a 4xx/5xx answer. */
export interface ErrorBody {
  error?: string;
  message?: string;
}
