import { Static, Type } from '@sinclair/typebox';
import { DataFrameJSONSchema } from './frames';
import { FiltersSchema, LABEL_NAME, OneOf, TargetList, TargetName, Text } from './schema-parts';
import { TimeValue } from './time';

/**
 * POST /api/v1/query, shaped like Grafana's DataQueryRequest: a range, the panel's interval and
 * width, and queries that each carry a refId and a kind. The answer: frames (or an error) per refId.
 */

const strict = { additionalProperties: false } as const;

/** How samples in one step are combined. */
export const AGGREGATIONS = ['avg', 'max', 'min', 'last', 'sum'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/**
 * What ranks a time series query's series when it has more than `limit`: without `top`, the first
 * by target and labels; with it, those whose values over the range are highest by this measure.
 */
export const TOP_BY = ['max', 'avg', 'last'] as const;
export type TopBy = (typeof TOP_BY)[number];

export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

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
  filters: Type.Optional(FiltersSchema),
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
    /** Keep the `limit` series highest by this over the range ("the 10 largest"), highest first. */
    top: Type.Optional(OneOf(TOP_BY)),
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
    order: Type.Optional(OneOf(SORT_ORDERS)),
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

/** One refId's answer: its frames, or why it failed (the other refIds are answered all the same). */
export const RefIdResultSchema = Type.Union([
  Type.Object({ frames: Type.Array(DataFrameJSONSchema) }),
  Type.Object({ error: Type.String() }),
]);
export type RefIdResult = Static<typeof RefIdResultSchema>;

export const QueryResponseSchema = Type.Object({
  results: Type.Record(Type.String(), RefIdResultSchema),
});
export type QueryResponse = Static<typeof QueryResponseSchema>;
