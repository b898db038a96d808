import { Static, Type } from '@sinclair/typebox';

/** Building blocks of the request schemas: every string bounded, every list bounded. */

export const LABEL_NAME = '^[A-Za-z_][A-Za-z0-9_]{0,62}$';

/**
 * Text PostgreSQL can hold: no NUL character and no lone UTF-16 surrogate (ajv matches in unicode
 * mode, where a valid pair is one code point outside the surrogate range).
 */
export const STORABLE_TEXT = '^[^\\u0000\\uD800-\\uDFFF]*$';

export const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: STORABLE_TEXT });

/** One of a few words, as an enum (so that an error lists them all). */
export const OneOf = <T extends string>(values: readonly T[]) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values] });

/** One value or a list of values: a filter, a multi-value template variable. */
export const OneOrMany = Type.Unsafe<string | string[]>({
  type: ['string', 'array'],
  maxLength: 512,
  pattern: STORABLE_TEXT,
  items: { type: 'string', maxLength: 512, pattern: STORABLE_TEXT },
  maxItems: 1000,
});

/** Label (or column) name -> allowed values. Names are checked against the metric or table later. */
export const FiltersSchema = Type.Unsafe<Record<string, string | string[]>>({
  type: 'object',
  maxProperties: 16,
  propertyNames: { pattern: LABEL_NAME },
  additionalProperties: OneOrMany,
});
export type Filters = Static<typeof FiltersSchema>;

export const TargetName = Text(128);
/** As long as a filter's list: a multi-value target variable may name a whole fleet. */
export const TargetList = Type.Array(TargetName, { maxItems: 1000 });

/** For routes that take no parameters: any is an unknown field. */
export const NoQuery = Type.Object({}, { additionalProperties: false });
