import { Static, Type } from '@sinclair/typebox';
import { EVENT_KINDS } from './events';
import { FIELD_TYPES } from './frames';
import { OneOf } from './schema-parts';

/**
 * GET /api/v1/catalog: every metric and table the API answers, with its unit, labels or columns,
 * loop, collector and the SQL behind it. What the plugin's editor lists.
 */

/** A SQL file the backend runs, as the catalog shows it. */
export const SqlTextSchema = Type.Object({
  /** First PostgreSQL major the file is for; null for files that are not per version (PgBouncer's SHOW). */
  major: Type.Union([Type.Integer(), Type.Null()]),
  /** Path under sql/. */
  file: Type.String(),
  text: Type.String(),
});
export type SqlText = Static<typeof SqlTextSchema>;

export const CatalogMetricSchema = Type.Object({
  name: Type.String(),
  help: Type.String(),
  type: OneOf(['gauge', 'counter'] as const),
  /** Grafana unit id: short, percentunit, s, ms, bytes, ops, Bps, ... */
  unit: Type.String(),
  /** Counters are queried as per-second rates, in this unit. */
  rateUnit: Type.Optional(Type.String()),
  /** Label names other than `target`. */
  labels: Type.Array(Type.String()),
  collector: Type.String(),
  loop: Type.String(),
  sql: Type.Array(SqlTextSchema),
});
export type CatalogMetric = Static<typeof CatalogMetricSchema>;

export const CatalogColumnSchema = Type.Object({
  name: Type.String(),
  type: OneOf(FIELD_TYPES),
  unit: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
});
export type CatalogColumn = Static<typeof CatalogColumnSchema>;

export const CatalogTableSchema = Type.Object({
  kind: Type.String(),
  description: Type.String(),
  /** A collector's snapshots, the store's events, or the findings the checks hold now. */
  source: OneOf(['snapshot', 'events', 'findings'] as const),
  columns: Type.Array(CatalogColumnSchema),
  /** Collectors that take this snapshot (replication: the primary's and the standby's). */
  collectors: Type.Array(Type.String()),
  loop: Type.Optional(Type.String()),
  /** For event tables: the event kinds shown (empty: all). */
  eventKinds: Type.Optional(Type.Array(OneOf(EVENT_KINDS))),
  sql: Type.Array(SqlTextSchema),
});
export type CatalogTable = Static<typeof CatalogTableSchema>;

export const CatalogResponseSchema = Type.Object({
  /** The backend's version. */
  version: Type.String(),
  metrics: Type.Array(CatalogMetricSchema),
  tables: Type.Array(CatalogTableSchema),
});
export type CatalogResponse = Static<typeof CatalogResponseSchema>;
