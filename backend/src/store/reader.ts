import { Labels } from '../collectors/types';
import { Aggregation, AGGREGATIONS } from '../contract/query';
import { Queryable } from './queryable';
import {
  EventQuery,
  ROLLUP_MS,
  HistoryReader,
  SeriesQuery,
  SeriesResult,
  SnapshotAt,
  StoredEvent,
} from './types';
import { storeQuery } from './store-query';
import { readWithClosedBuckets } from './cached-series-read';
import { ClosedBucketCache } from './closed-buckets';

const DEFAULT_SERIES_LIMIT = 1000;
const DEFAULT_EVENTS_LIMIT = 1000;
const DEFAULT_VALUES_LIMIT = 1000;
/** Safety net behind the API's own checks: a step is widened so that no read makes more buckets. */
const MAX_BUCKETS = 100_000;
const KNOWN_AGGREGATIONS: ReadonlySet<Aggregation> = new Set(AGGREGATIONS);

const timestamp = (ms: number) => new Date(ms).toISOString();

/**
 * Targets to read and label filters, with empty lists dropped (they do not restrict) and a
 * `target` filter folded into the targets. undefined: the two contradict, nothing can match.
 */
function selection(query: SeriesQuery): { targets: string[]; filters: Record<string, string[]> } | undefined {
  const filters: Record<string, string[]> = {};
  for (const [label, values] of Object.entries(query.filters ?? {}))
    if (values.length > 0 && label !== 'target') filters[label] = values;
  let targets = query.targets ?? [];
  const targetFilter = query.filters?.target ?? [];
  if (targetFilter.length > 0) {
    targets = targets.length === 0 ? targetFilter : targets.filter((t) => targetFilter.includes(t));
    if (targets.length === 0) return undefined;
  }
  return { targets, filters };
}

/** Only numbers, null and commas: what may be spliced into JSON as it is. */
const NUMBER_LIST = /^[-+.,0-9enul]*$/;

/** A series read's values (null where the store had NaN or infinity). */
export const seriesValues = (result: SeriesResult): (number | null)[] =>
  JSON.parse(`[${result.values}]`) as (number | null)[];

/** A series read's buckets as [time, value] pairs (value null where the store had NaN or infinity). */
export function seriesPoints(result: SeriesResult): [number, number | null][] {
  const times = JSON.parse(`[${result.times}]`) as number[];
  const values = seriesValues(result);
  return times.map((time, i) => [time, values[i] ?? null]);
}

/**
 * Reads of the history store. Everything from the caller is a bind parameter: label names and
 * values, metrics and targets never become SQL text.
 */
export class StoreReader implements HistoryReader {
  /**
   * minuteRollups false: every read from the samples alone (a reference for tests and benches).
   * closedBuckets: reads of one-minute buckets without group-by keep the whole rolled-up buckets
   * they bring there, and ask the store only for the rest next time (the same answers).
   */
  constructor(
    private readonly db: Queryable,
    private readonly options: { minuteRollups: boolean; closedBuckets?: ClosedBucketCache } = {
      minuteRollups: true,
    },
  ) {}

  async series(query: SeriesQuery): Promise<SeriesResult[]> {
    const { from, to } = query;
    if (!Number.isFinite(from) || !Number.isFinite(to) || from > to)
      throw new RangeError(`invalid time range ${from}..${to}`);
    if (!KNOWN_AGGREGATIONS.has(query.aggregation))
      throw new RangeError(`unknown aggregation ${query.aggregation}`);
    const chosen = selection(query);
    if (!chosen) return [];
    const stepMs = Math.max(1, Math.floor(query.stepMs) || 1, Math.ceil((to - from) / MAX_BUCKETS));
    const groupBy = query.groupBy ? query.groupBy.filter((label) => label !== 'target') : null;
    const params: unknown[] = [
      query.metric,
      chosen.targets,
      JSON.stringify(chosen.filters),
      groupBy,
      query.limit ?? DEFAULT_SERIES_LIMIT,
      timestamp(from),
      timestamp(to),
      stepMs,
    ];
    // A step of whole minutes reads the minute rollups (and samples only where there are none):
    // every Grafana interval from 1m up, and what the API rounds a step over a minute to.
    const fromRollups = this.options.minuteRollups && stepMs % ROLLUP_MS === 0;
    const sql = fromRollups
      ? storeQuery('series-rollup')
      : query.type === 'counter'
        ? storeQuery('series-counter')
        : storeQuery('series-gauge');
    const checkLists = (row: { times: string; values: string }) => {
      if (!NUMBER_LIST.test(row.times) || !NUMBER_LIST.test(row.values))
        throw new Error(`series read of ${query.metric}: the store returned something else than numbers`);
    };
    if (fromRollups) {
      const aggregation = query.type === 'counter' ? 'rate' : query.aggregation;
      params.push(aggregation);
      // Held buckets only at a step of one minute: a bucket is then one rollup row, its value the
      // same text whenever the store computes it. A longer bucket sums minutes in whatever order
      // the plan gives (the last digit may differ between two reads), and a group-by sums series.
      const cache = this.options.closedBuckets;
      if (cache && !groupBy && stepMs === ROLLUP_MS)
        return readWithClosedBuckets(
          this.db,
          cache,
          {
            params,
            from,
            to,
            stepMs,
            aggregation,
            selection: JSON.stringify(params.slice(0, 5)),
          },
          checkLists,
        );
      // No caller's buckets ($10 .. $13).
      params.push([], [], [], null);
    } else if (query.type !== 'counter') params.push(query.aggregation);
    const { rows } = await this.db.query<SeriesResult & { labels: Labels }>(sql, params);
    rows.forEach(checkLists);
    return rows.map((r) => ({ target: r.target, labels: r.labels, times: r.times, values: r.values }));
  }

  async snapshotAt(target: string, kind: string, at = Date.now()): Promise<SnapshotAt | undefined> {
    const { rows } = await this.db.query<SnapshotAt>(storeQuery('snapshot-at'), [
      target,
      kind,
      timestamp(at),
    ]);
    return rows[0];
  }

  /** The newest `limit` events of the range, oldest first. */
  async events(query: EventQuery): Promise<StoredEvent[]> {
    const { rows } = await this.db.query<Required<StoredEvent>>(storeQuery('events'), [
      timestamp(query.from),
      timestamp(query.to),
      query.targets ?? [],
      query.kinds ?? [],
      query.limit ?? DEFAULT_EVENTS_LIMIT,
    ]);
    return rows.reverse();
  }

  async labelValues(
    label: string,
    options: { metric?: string; target?: string; limit?: number } = {},
  ): Promise<string[]> {
    const limit = options.limit ?? DEFAULT_VALUES_LIMIT;
    const { rows } =
      label === 'target'
        ? await this.db.query<{ value: string }>(storeQuery('target-values'), [options.metric ?? null, limit])
        : await this.db.query<{ value: string }>(storeQuery('label-values'), [
            label,
            options.metric ?? null,
            options.target ?? null,
            limit,
          ]);
    return rows.map((r) => r.value);
  }
}
