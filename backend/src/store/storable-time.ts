/**
 * The times the store takes: after the epoch and before the year 10000. PostgreSQL's own range is
 * wider, but a daily partition for the year 275760 (the largest JavaScript date) is nobody's
 * event; such a time is a client's mistake, refused at the API and set aside by the writer.
 */
export const STORABLE_TIME_MAX_MS = Date.UTC(10000, 0, 1) - 1;

export function isStorableTime(ms: number): boolean {
  return Number.isFinite(ms) && ms > 0 && ms <= STORABLE_TIME_MAX_MS;
}
