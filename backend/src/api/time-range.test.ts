import { ApiError } from './errors';
import { parseTime, resolveRange } from './time-range';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const DAY = 86_400_000;

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return (error as ApiError).message;
  }
  throw new Error('did not throw');
}

describe('parseTime', () => {
  it('reads ms, digit strings, ISO 8601 and now-relative times', () => {
    expect(parseTime(1_700_000_000_000, 'f', NOW)).toBe(1_700_000_000_000);
    expect(parseTime('1700000000000', 'f', NOW)).toBe(1_700_000_000_000);
    expect(parseTime('2025-06-01T11:00:00.000Z', 'f', NOW)).toBe(NOW - 3_600_000);
    expect(parseTime('2025-06-01T13:00:00+02:00', 'f', NOW)).toBe(NOW - 3_600_000);
    expect(parseTime('now', 'f', NOW)).toBe(NOW);
    expect(parseTime('now-6h', 'f', NOW)).toBe(NOW - 6 * 3_600_000);
  });

  it('names the field when the text is not a time', () => {
    expect(message(() => parseTime('yesterday', 'range.from', NOW))).toMatch(
      /^range\.from: "yesterday" is not a time/,
    );
    expect(message(() => parseTime('2025-13-45', 'asOf', NOW))).toMatch(/^asOf: /);
    expect(message(() => parseTime('now-999999w', 'to', NOW))).toMatch(/^to: /);
    // JavaScript's own maximum is past what the store is sent (ISO text with four-digit years)
    expect(message(() => parseTime(8.64e15, 'range.to', NOW))).toMatch(
      /^range\.to: "8640000000000000" is after 9999-12-31T23:59:59\.999Z/,
    );
    expect(parseTime('9999-12-31T23:59:59.999Z', 'to', NOW)).toBe(Date.UTC(9999, 11, 31, 23, 59, 59, 999));
  });
});

describe('resolveRange', () => {
  const options = { field: 'range', retentionDays: 14, now: NOW };

  it('accepts a range within the retention, with a day of grace', () => {
    expect(resolveRange({ from: 'now-14d', to: 'now' }, options)).toEqual({ from: NOW - 14 * DAY, to: NOW });
    expect(resolveRange({ from: NOW - 15 * DAY + 1, to: NOW }, options).from).toBe(NOW - 15 * DAY + 1);
  });

  it('refuses from after to, naming the range', () => {
    expect(message(() => resolveRange({ from: NOW, to: NOW - 1 }, options))).toMatch(
      /^range: from .* is after to/,
    );
  });

  it('refuses a range older than the retention, naming range.from', () => {
    expect(message(() => resolveRange({ from: NOW - 16 * DAY, to: NOW }, options))).toMatch(
      /^range\.from: .* is older than the retention of 14 days/,
    );
  });

  it('names querystring fields without a prefix', () => {
    expect(message(() => resolveRange({ from: 'x', to: 1 }, { ...options, field: '' }))).toMatch(/^from: /);
  });
});
