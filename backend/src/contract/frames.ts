import { Static, Type } from '@sinclair/typebox';
import { OneOf } from './schema-parts';

/**
 * Grafana's data-frame JSON (@grafana/data DataFrameJSON), as the query API answers it: a schema
 * naming typed fields, and the values column by column. Times are ms since the epoch; JSON has no
 * NaN or Infinity, so those are sent as null.
 */

export const FIELD_TYPES = ['time', 'number', 'string', 'boolean'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FieldConfigSchema = Type.Object({
  unit: Type.Optional(Type.String()),
  /** The series name a data source chose (the legend format); Grafana shows it as is. */
  displayNameFromDS: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  /** Expected step between times (ms), so that Grafana draws gaps where buckets are missing. */
  interval: Type.Optional(Type.Number()),
});
export type FieldConfig = Static<typeof FieldConfigSchema>;

export const FrameFieldSchema = Type.Object({
  name: Type.String(),
  type: OneOf(FIELD_TYPES),
  config: FieldConfigSchema,
  labels: Type.Optional(Type.Record(Type.String(), Type.String())),
});
export type FrameField = Static<typeof FrameFieldSchema>;

export const FrameNoticeSchema = Type.Object({
  severity: OneOf(['info', 'warning', 'error'] as const),
  text: Type.String(),
});
export type FrameNotice = Static<typeof FrameNoticeSchema>;

export const FrameMetaSchema = Type.Object({
  /** Grafana's dataplane type: one time field and one number field per frame, labels on the number. */
  type: Type.Optional(Type.Literal('timeseries-multi')),
  typeVersion: Type.Optional(Type.Tuple([Type.Number(), Type.Number()])),
  preferredVisualisationType: Type.Optional(OneOf(['graph', 'table'] as const)),
  notices: Type.Optional(Type.Array(FrameNoticeSchema)),
  custom: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type FrameMeta = Static<typeof FrameMetaSchema>;

export const DataFrameJSONSchema = Type.Object({
  schema: Type.Object({
    refId: Type.String(),
    name: Type.Optional(Type.String()),
    meta: Type.Optional(FrameMetaSchema),
    fields: Type.Array(FrameFieldSchema),
  }),
  data: Type.Object({ values: Type.Array(Type.Array(Type.Unknown())) }),
});
export type DataFrameJSON = Static<typeof DataFrameJSONSchema>;
