import { CollectResult, Sample, SnapshotRow } from '../types';
import { parsePartitionBound, RangeDatum, singleColumnRange } from './bound-parser';
import { analyseRange, RangeAnalysis, RangeEdge, RangePartitionBounds } from './range-coverage';

/** A row of sql/collectors/partitions.pg*.sql: one partitioned table. */
export interface PartitionsRow {
  schemaname: string;
  relname: string;
  /** pg_partitioned_table.partstrat: r, l, h. */
  strategy: string;
  partition_key: string;
  /** pg_type.typname of a single-column key, null for multi-column and expression keys. */
  key_type: string | null;
  partitions: number;
  leaf_partitions: number;
  default_partition: string | null;
  /** reltuples summed over the default partition's leaves; null when none, or never analysed. */
  default_rows: number | null;
  /** pg_get_expr(relpartbound) of each direct partition but the default; only for analysed keys. */
  bounds: string[] | null;
  now_epoch: number;
  /** localtimestamp read as UTC: "now" for date and timestamp (without time zone) keys. */
  local_now_epoch: number;
  [key: string]: unknown;
}

const TIME_KEYS = new Set(['date', 'timestamp', 'timestamptz']);
const INTEGER_KEYS = new Set(['int2', 'int4', 'int8']);
const STRATEGIES: Record<string, string> = { r: 'range', l: 'list', h: 'hash' };

export const isTimeKey = (keyType: string | null): keyType is string =>
  keyType !== null && TIME_KEYS.has(keyType);

/** Seconds since the epoch of a time bound value as the server printed it; undefined when unknown. */
export type EpochOf = (keyType: string, text: string) => number | undefined;

export const epochKey = (keyType: string, text: string): string => `${keyType}\u0000${text}`;

type SingleRange = ReturnType<typeof singleColumnRange>;
/** Each row's bounds are parsed once per cycle, though both steps below read them. */
const parsed = new WeakMap<PartitionsRow, SingleRange[]>();

function singleColumnRanges(row: PartitionsRow): SingleRange[] {
  let ranges = parsed.get(row);
  if (!ranges) {
    ranges = (row.bounds ?? []).map((expression) => singleColumnRange(parsePartitionBound(expression)));
    parsed.set(row, ranges);
  }
  return ranges;
}

/** Every time bound value the server must convert (sql/collectors/partition-bound-epochs), once each. */
export function timeValuesToConvert(rows: PartitionsRow[]): { values: string[]; keyTypes: string[] } {
  const seen = new Set<string>();
  const values: string[] = [];
  const keyTypes: string[] = [];
  for (const row of rows) {
    if (!isTimeKey(row.key_type)) continue;
    for (const range of singleColumnRanges(row)) {
      for (const datum of range ? [range.from, range.to] : []) {
        if (datum.kind !== 'value' || seen.has(epochKey(row.key_type, datum.text))) continue;
        seen.add(epochKey(row.key_type, datum.text));
        values.push(datum.text);
        keyTypes.push(row.key_type);
      }
    }
  }
  return { values, keyTypes };
}

function edge(datum: RangeDatum, valueOf: (text: string) => number | undefined): RangeEdge | undefined {
  if (datum.kind === 'minvalue') return { value: -Infinity, text: 'MINVALUE' };
  if (datum.kind === 'maxvalue') return { value: Infinity, text: 'MAXVALUE' };
  const value = valueOf(datum.text);
  return value === undefined || Number.isNaN(value) ? undefined : { value, text: datum.text };
}

/** The range partitions of a row as numbers, or undefined when the key is not analysed or a bound is not understood. */
export function rangePartitions(row: PartitionsRow, epochOf: EpochOf): RangePartitionBounds[] | undefined {
  const keyType = row.key_type;
  if (row.strategy !== 'r' || keyType === null || !row.bounds) return undefined;
  let valueOf: (text: string) => number | undefined;
  if (TIME_KEYS.has(keyType)) valueOf = (text) => epochOf(keyType, text);
  else if (INTEGER_KEYS.has(keyType))
    valueOf = (text) => (/^[+-]?\d+$/.test(text.trim()) ? Number(text) : undefined);
  else return undefined;
  const partitions: RangePartitionBounds[] = [];
  for (const range of singleColumnRanges(row)) {
    const from = range && edge(range.from, valueOf);
    const to = range && edge(range.to, valueOf);
    if (!from || !to) return undefined;
    partitions.push({ from, to });
  }
  return partitions;
}

/** Partition counts, default partitions and future coverage of every partitioned table reported. */
export function derivePartitions(rows: PartitionsRow[], datname: string, epochOf: EpochOf): CollectResult {
  const samples: Sample[] = [];
  const snapshotRows: SnapshotRow[] = [];
  for (const row of rows) {
    const labels = { datname, schemaname: row.schemaname, relname: row.relname };
    const timeKey = isTimeKey(row.key_type);
    const ranges = rangePartitions(row, epochOf);
    const now = row.key_type === 'timestamptz' ? row.now_epoch : row.local_now_epoch;
    const analysis = ranges && analyseRange(ranges, timeKey ? now : undefined);

    samples.push({ metric: 'pg_partition_count', labels, value: row.leaf_partitions });
    if (row.default_partition !== null && row.default_rows !== null) {
      samples.push({ metric: 'pg_partition_default_rows', labels, value: row.default_rows });
    }
    if (timeKey && analysis) samples.push(...timeSamples(labels, analysis));
    snapshotRows.push(snapshotRow(row, timeKey, analysis));
  }
  return { samples, snapshots: [{ kind: 'partitions', rows: snapshotRows }] };
}

function timeSamples(labels: Record<string, string>, analysis: RangeAnalysis): Sample[] {
  const samples: Sample[] = [];
  if (Number.isFinite(analysis.newest.value)) {
    samples.push({ metric: 'pg_partition_newest_bound_seconds', labels, value: analysis.newest.value });
  }
  if (analysis.futureCoverage !== null) {
    samples.push({ metric: 'pg_partition_future_coverage_seconds', labels, value: analysis.futureCoverage });
  }
  if (analysis.missingNext !== null) {
    samples.push({ metric: 'pg_partitions_missing_future', labels, value: analysis.missingNext ? 1 : 0 });
  }
  return samples;
}

function snapshotRow(row: PartitionsRow, timeKey: boolean, analysis: RangeAnalysis | undefined): SnapshotRow {
  const newestTime =
    timeKey && analysis && Number.isFinite(analysis.newest.value) ? analysis.newest.value * 1000 : null;
  return {
    schemaname: row.schemaname,
    relname: row.relname,
    strategy: STRATEGIES[row.strategy] ?? row.strategy,
    partition_key: row.partition_key,
    key_type: row.key_type,
    partitions: row.partitions,
    leaf_partitions: row.leaf_partitions,
    oldest_bound: analysis?.oldest.text ?? null,
    newest_bound: analysis?.newest.text ?? null,
    newest_bound_time: newestTime,
    period_seconds: timeKey ? (analysis?.period ?? null) : null,
    default_partition: row.default_partition,
    default_rows: row.default_rows,
    future_coverage_seconds: analysis?.futureCoverage ?? null,
    missing_next: analysis?.missingNext ?? null,
  };
}
