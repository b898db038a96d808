import { MAX_TIME_MS, TimeInput } from '../contract/time';
import { badRequest, quote } from './errors';

export interface TimeRange {
  /** ms since the epoch, inclusive */
  from: number;
  to: number;
}

const DAY_MS = 86_400_000;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };
const RELATIVE = /^now(?:-(\d{1,6})([smhdw]))?$/;
const DIGITS = /^\d{1,16}$/;
// ISO 8601 as Grafana and toISOString write it; Date.parse alone accepts too much ("1", "March 7").
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** ms since the epoch, or a 400 naming the field. */
export function parseTime(value: TimeInput, field: string, now: number): number {
  let ms: number;
  if (typeof value === 'number') ms = value;
  else if (DIGITS.test(value)) ms = Number(value);
  else if (RELATIVE.test(value)) {
    const [, amount, unit] = RELATIVE.exec(value) as RegExpExecArray;
    ms = amount ? now - Number(amount) * (UNIT_MS[unit as string] as number) : now;
  } else if (ISO.test(value)) ms = Date.parse(value);
  else ms = NaN;
  if (ms > MAX_TIME_MS) {
    throw badRequest(
      field,
      `${quote(String(value))} is after ${new Date(MAX_TIME_MS).toISOString()}, the latest time the store holds`,
    );
  }
  if (!Number.isFinite(ms) || ms < 0) {
    throw badRequest(
      field,
      `${quote(String(value))} is not a time (ISO 8601, ms since the epoch, or now-<n><s|m|h|d|w>)`,
    );
  }
  return Math.floor(ms);
}

/**
 * A checked range: from <= to, and from not before what the store keeps. Partitions are dropped
 * by whole days, so a day of grace keeps "last 14 days" on a 14-day retention valid.
 * `field` is where from and to sit in the request: 'range' in a body, '' in a querystring.
 */
export function resolveRange(
  input: { from: TimeInput; to: TimeInput },
  options: { field: string; retentionDays: number; now: number },
): TimeRange {
  const { field, now } = options;
  const fromField = field ? `${field}.from` : 'from';
  const from = parseTime(input.from, fromField, now);
  const to = parseTime(input.to, field ? `${field}.to` : 'to', now);
  if (from > to) {
    throw badRequest(
      field || 'range',
      `from (${new Date(from).toISOString()}) is after to (${new Date(to).toISOString()})`,
    );
  }
  checkRetention(from, fromField, options.retentionDays, now);
  return { from, to };
}

/** A 400 when a time is older than anything the store keeps (with a day of grace, see resolveRange). */
export function checkRetention(time: number, field: string, retentionDays: number, now: number): void {
  const earliest = now - (retentionDays + 1) * DAY_MS;
  if (time < earliest) {
    throw badRequest(
      field,
      `${new Date(time).toISOString()} is older than the retention of ${retentionDays} days (earliest ${new Date(earliest).toISOString()})`,
    );
  }
}
