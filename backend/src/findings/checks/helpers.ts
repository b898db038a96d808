import { Severity } from '../../config/alerts-schema';
import { Cell, SnapshotRow } from '../../collectors/types';

/** A number cell (numbers may arrive as text from bigint columns), or undefined. */
export function num(row: SnapshotRow, column: string): number | undefined {
  const value: Cell | undefined = row[column];
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** A text cell, or undefined for null and empty. */
export function text(row: SnapshotRow, column: string): string | undefined {
  const value = row[column];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The severity a value reaches against a warning and an optional critical threshold (>=). */
export function levelOf(value: number, warning: number, critical?: number): Severity | undefined {
  if (critical !== undefined && value >= critical) return 'critical';
  if (value >= warning) return 'warning';
  return undefined;
}

/**
 * A bloat estimate's row (table_bloat, index_bloat) against its kind's min_ratio and warning and
 * critical bytes: the bloat and the severity it reaches, or undefined (below, or no estimate).
 */
export function bloatOf(
  row: SnapshotRow,
  params: Record<string, number>,
): { bytes: number; ratio: number; severity: Severity } | undefined {
  if (row.estimate_applicable === false) return undefined;
  const bytes = num(row, 'bloat_bytes') ?? 0;
  const ratio = num(row, 'bloat_ratio') ?? 0;
  if (ratio < (params.min_ratio as number)) return undefined;
  const severity = levelOf(bytes, params.warning_bytes as number, params.critical_bytes as number);
  return severity && { bytes, ratio, severity };
}

/** At most this many evidence rows per finding: the proof, not a dump. */
export const MAX_EVIDENCE_ROWS = 20;

export const evidence = (rows: SnapshotRow[]): SnapshotRow[] => rows.slice(0, MAX_EVIDENCE_ROWS);

export function bytes(value: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = value;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86_400).toFixed(1)} days`;
}

export const percent = (ratio: number): string => `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)} %`;

export const count = (value: number): string => Math.round(value).toLocaleString('en-US');
