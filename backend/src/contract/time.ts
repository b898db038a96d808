import { Type } from '@sinclair/typebox';

/** A time as the client may send it: ms since the epoch, or text (ISO 8601, digits, now, now-6h). */
export type TimeInput = number | string;

/**
 * The latest time the API takes: the end of year 9999. The store is sent times as ISO 8601 text;
 * past 9999 a Date writes an expanded year (+275760-09-13T...) that PostgreSQL's timestamptz input
 * refuses, which used to surface as a 503 "history store is unavailable".
 */
export const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** ms since the epoch, or text parsed by parseTime (ISO 8601, digits, now-6h). */
export const TimeValue = Type.Unsafe<TimeInput>({
  type: ['integer', 'string'],
  minimum: 0,
  maximum: MAX_TIME_MS,
  minLength: 1,
  maxLength: 64,
});
