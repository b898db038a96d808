import { Static, Type } from '@sinclair/typebox';
import { AGGREGATIONS } from '../../store/types';
import { Filters, LABEL_NAME, OneOf, TargetList, TargetName, Text, TimeValue } from '../schema-parts';

/**
 * POST /api/v1/query, shaped like Grafana's DataQueryRequest: a range, the panel's interval and
 * width, and queries that each carry a refId and a kind.
 */

const strict = { additionalProperties: false } as const;

/** Fields Grafana puts on every query; accepted so that a query can be forwarded as Grafana built it. */
const grafanaQueryFields = {
  hide: Type.Optional(Type.Boolean()),
  datasource: Type.Optional(
    Type.Object({ type: Type.Optional(Text(200)), uid: Type.Optional(Text(200)) }, strict),
  ),
  queryType: Type.Optional(Text(64)),
};

const common = {
  refId: Text(128),
  target: Type.Optional(TargetName),
  targets: Type.Optional(TargetList),
  filters: Type.Optional(Filters),
  ...grafanaQueryFields,
};

export const TimeSeriesQuerySchema = Type.Object(
  {
    kind: Type.Literal('timeseries'),
    metric: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z_:][A-Za-z0-9_:]*$' }),
    aggregation: Type.Optional(OneOf(AGGREGATIONS)),
    groupBy: Type.Optional(Type.Array(Type.String({ pattern: LABEL_NAME }), { maxItems: 16 })),
    legendFormat: Type.Optional(Type.String({ maxLength: 500 })),
    /** Most series (label cardinality guard). */
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    ...common,
  },
  strict,
);

export const TableQuerySchema = Type.Object(
  {
    kind: Type.Literal('table'),
    table: Text(64),
    /** 'latest' (what the backend holds now) or a time: the snapshot taken at or before it. */
    asOf: Type.Optional(TimeValue),
    /** Top-N: rows kept after sorting. */
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    orderBy: Type.Optional(Type.String({ pattern: LABEL_NAME })),
    order: Type.Optional(OneOf(['asc', 'desc'] as const)),
    ...common,
  },
  strict,
);

export type TimeSeriesQuery = Static<typeof TimeSeriesQuerySchema>;
export type TableQuery = Static<typeof TableQuerySchema>;
export type PanelQuery = TimeSeriesQuery | TableQuery;

export const MAX_QUERIES = 50;

export const QueryRequestSchema = Type.Object(
  {
    range: Type.Object(
      {
        from: TimeValue,
        to: TimeValue,
        /** Grafana's relative form ("now-6h"), sent along with the absolute one; not used. */
        raw: Type.Optional(Type.Object({ from: TimeValue, to: TimeValue }, strict)),
      },
      strict,
    ),
    intervalMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 31_536_000_000 })),
    maxDataPoints: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    queries: Type.Array(
      // Dispatch on `kind`, so that an error names the field of the query's own kind.
      Type.Unsafe<PanelQuery>({
        type: 'object',
        required: ['kind'],
        discriminator: { propertyName: 'kind' },
        oneOf: [TimeSeriesQuerySchema, TableQuerySchema],
      }),
      { minItems: 1, maxItems: MAX_QUERIES },
    ),
  },
  strict,
);

export type QueryRequest = Static<typeof QueryRequestSchema>;
