import { Cell } from '../../collectors/types';

/** Nulls last whatever the direction; numbers and times by value, text by code point. */
export function compareCells(a: Cell | undefined, b: Cell | undefined, order: 'asc' | 'desc'): number {
  const aMissing = a === null || a === undefined;
  const bMissing = b === null || b === undefined;
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  const sign = order === 'asc' ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return sign * (a - b);
  const x = String(a);
  const y = String(b);
  return sign * (x < y ? -1 : x > y ? 1 : 0);
}

/** Top-N: rows sorted by a column (stable: ties keep the collector's order), then cut to `limit`. */
export function topRows<Row extends Record<string, Cell>>(
  rows: Row[],
  orderBy: string | undefined,
  order: 'asc' | 'desc',
  limit: number,
): Row[] {
  const sorted = orderBy ? [...rows].sort((a, b) => compareCells(a[orderBy], b[orderBy], order)) : rows;
  return sorted.slice(0, limit);
}
