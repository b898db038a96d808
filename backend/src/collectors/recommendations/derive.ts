import { CollectResult, SnapshotRow } from '../types';

/** A row of sql/collectors/public-create-schemas.pg*.sql. */
export interface PublicCreateSchemaRow {
  datname: string;
  schemaname: string;
  owner: string;
  acl: string;
  /** All such schemas, not only the rows returned. */
  schema_count: number;
  [key: string]: unknown;
}

/** A row of sql/collectors/superusers.pg*.sql. */
export interface SuperuserRow {
  rolname: string;
  valid_until_ms: number | null;
  connection_limit: number;
  superuser_count: number;
  [key: string]: unknown;
}

/** A row of sql/collectors/security-definer-functions.pg*.sql. */
export interface SecurityDefinerRow {
  datname: string;
  schemaname: string;
  function_name: string;
  arguments: string;
  kind: string;
  owner: string;
  owner_is_superuser: boolean;
  language: string | null;
  extension: string | null;
  function_count: number;
  [key: string]: unknown;
}

/** A row of sql/collectors/nested-views.pg*.sql. */
export interface NestedViewRow {
  datname: string;
  schemaname: string;
  view_name: string;
  depth: number;
  built_on: string | null;
  /** Views deeper than NESTED_VIEW_DEPTH, returned or not. */
  deep_count: number;
  [key: string]: unknown;
}

/** A row of sql/collectors/partial-index-candidates.pg*.sql. */
export interface PartialIndexRow {
  datname: string;
  schemaname: string;
  relname: string;
  indexrelname: string;
  column_name: string;
  reltuples: number;
  size_bytes: number;
  null_frac: number | null;
  statistics: 'visible' | 'hidden' | 'missing';
  [key: string]: unknown;
}

export interface RecommendationRows {
  publicCreate: PublicCreateSchemaRow[];
  superusers: SuperuserRow[];
  securityDefiner: SecurityDefinerRow[];
  nestedViews: NestedViewRow[];
  partialIndexes: PartialIndexRow[];
}

/**
 * Counts as metrics (0 when none, so that a fix shows as a drop; names never as labels) and the
 * rows as snapshots. A partial index candidate whose statistics are hidden is listed, not counted:
 * whether its column is mostly NULL is unknown.
 */
export function deriveRecommendations(rows: RecommendationRows, datname: string): CollectResult {
  const labels = { datname };
  const total = <R extends Record<string, unknown>>(list: R[], column: keyof R) =>
    Number(list[0]?.[column] ?? 0);
  return {
    samples: [
      {
        metric: 'pg_schemas_public_create',
        labels,
        value: total(rows.publicCreate, 'schema_count'),
      },
      { metric: 'pg_superusers', labels: {}, value: total(rows.superusers, 'superuser_count') },
      {
        metric: 'pg_security_definer_functions_without_search_path',
        labels,
        value: total(rows.securityDefiner, 'function_count'),
      },
      { metric: 'pg_views_nested_deep', labels, value: total(rows.nestedViews, 'deep_count') },
      {
        metric: 'pg_indexes_partial_candidates',
        labels,
        value: rows.partialIndexes.filter((r) => r.null_frac !== null).length,
      },
    ],
    snapshots: [
      {
        kind: 'public_create_schemas',
        rows: rows.publicCreate.map((r): SnapshotRow => ({
          datname: r.datname,
          schemaname: r.schemaname,
          owner: r.owner,
          acl: r.acl,
        })),
      },
      {
        kind: 'superusers',
        rows: rows.superusers.map((r): SnapshotRow => ({
          rolname: r.rolname,
          valid_until: r.valid_until_ms,
          connection_limit: r.connection_limit,
        })),
      },
      {
        kind: 'security_definer_functions',
        rows: rows.securityDefiner.map((r): SnapshotRow => ({
          datname: r.datname,
          schemaname: r.schemaname,
          function_name: r.function_name,
          arguments: r.arguments,
          kind: r.kind,
          owner: r.owner,
          owner_is_superuser: r.owner_is_superuser,
          language: r.language,
          extension: r.extension,
        })),
      },
      {
        kind: 'nested_views',
        rows: rows.nestedViews.map((r): SnapshotRow => ({
          datname: r.datname,
          schemaname: r.schemaname,
          view_name: r.view_name,
          depth: r.depth,
          built_on: r.built_on,
        })),
      },
      {
        kind: 'partial_index_candidates',
        rows: rows.partialIndexes.map((r): SnapshotRow => ({
          datname: r.datname,
          schemaname: r.schemaname,
          relname: r.relname,
          indexrelname: r.indexrelname,
          column_name: r.column_name,
          reltuples: r.reltuples,
          size_bytes: r.size_bytes,
          null_frac: r.null_frac,
          statistics: r.statistics,
        })),
      },
    ],
  };
}
