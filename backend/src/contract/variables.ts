import { Static, Type } from '@sinclair/typebox';
import { OneOf, TargetName, Text } from './schema-parts';

/** GET /api/v1/variables/:name?target&database&search&limit: the values of a template variable. */

export const VARIABLE_NAMES = [
  'targets',
  'databases',
  'relations',
  'applications',
  'users',
  'queryids',
  'metrics',
  'tables',
] as const;
export type VariableName = (typeof VARIABLE_NAMES)[number];

export const VariableParamsSchema = Type.Object(
  { name: OneOf(VARIABLE_NAMES) },
  { additionalProperties: false },
);
export type VariableParams = Static<typeof VariableParamsSchema>;

export const VariableQuerySchema = Type.Object(
  {
    /** Chaining: values of this target only ($target). */
    target: Type.Optional(TargetName),
    /** Chaining: relations and query ids of this database only ($database). */
    database: Type.Optional(Text(256)),
    /** Case-insensitive substring of the text. */
    search: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);
export type VariableQuery = Static<typeof VariableQuerySchema>;

/** One value as Grafana's variable editor lists it. */
export const VariableValueSchema = Type.Object({ text: Type.String(), value: Type.String() });
export type VariableValue = Static<typeof VariableValueSchema>;

/** Deduplicated by value, sorted by text, at most `limit`. */
export const VariableValuesSchema = Type.Array(VariableValueSchema);
export type VariableValues = Static<typeof VariableValuesSchema>;
