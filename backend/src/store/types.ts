import { MetricType } from '../catalog/types';
import { Observation, SnapshotRow } from '../collectors/types';
import { Aggregation } from '../contract/query';
import { EventKind, EventSeverity } from '../contract/events';

/**
 * The history store's contract: what the collection path writes (off the hot path, batched,
 * buffered through outages) and what the API reads (ranges downsampled to a panel's interval,
 * snapshots as of a time, events for annotations).
 */

/** The kinds are the API's (events are what annotations and the event tables show). */
export { EVENT_KINDS, type EventKind } from '../contract/events';

export type Severity = EventSeverity;

export interface StoredEvent {
  /** Assigned by the store. */
  id?: string;
  /** ms since epoch */
  time: number;
  target: string | null;
  kind: EventKind;
  severity: Severity;
  title: string;
  text: string;
  tags: string[];
  /** Structured detail (decision inputs, alert labels, ...). */
  data?: Record<string, unknown>;
}

/**
 * The width of the minute rollups (samples_1m): a series read whose step is a whole number of them
 * reads the rollups (store/rollup, store/reader), and the API rounds a step over it to one (api/step).
 */
export const ROLLUP_MS = 60_000;

export interface SeriesQuery {
  metric: string;
  /** gauge: aggregate per bucket; counter: served as a per-second rate (resets handled). */
  type: MetricType;
  /** Restrict to these targets (all when empty or absent). */
  targets?: string[];
  /** Label filters: label name -> allowed values (exact); an empty list does not restrict. */
  filters?: Record<string, string[]>;
  /** ms since epoch, inclusive range. */
  from: number;
  to: number;
  /** Bucket width: Grafana's intervalMs, widened so that at most maxDataPoints buckets result. */
  stepMs: number;
  aggregation: Aggregation;
  /** Sum series that share these labels (besides target); absent: one result per stored series. */
  groupBy?: string[];
  /** Most series returned (label cardinality guard). */
  limit?: number;
}

export interface SeriesResult {
  target: string;
  labels: Record<string, string>;
  /**
   * The buckets in time order as JSON array bodies (comma-separated, no brackets), spliced as they
   * are into the API's frames: bucket start ms, and the values (null for NaN or infinity). Buckets
   * without data are absent. seriesPoints() (store/reader) makes [time, value] pairs of them.
   */
  times: string;
  values: string;
}

export interface SnapshotAt {
  /** When it was taken (ms since epoch). */
  time: number;
  rows: SnapshotRow[];
}

export interface EventQuery {
  from: number;
  to: number;
  targets?: string[];
  kinds?: EventKind[];
  limit?: number;
}

export interface HistoryReader {
  series(query: SeriesQuery): Promise<SeriesResult[]>;
  /** The newest snapshot of that kind taken at or before `at` (default: now). */
  snapshotAt(target: string, kind: string, at?: number): Promise<SnapshotAt | undefined>;
  events(query: EventQuery): Promise<StoredEvent[]>;
  /** Distinct values of a label (or of `target` itself when label is 'target'), optionally for one metric and target. */
  labelValues(
    label: string,
    options?: { metric?: string; target?: string; limit?: number },
  ): Promise<string[]>;
}

export interface HistoryWriter {
  /**
   * Never blocks and never throws: the observation is buffered and written in the background, the
   * events it carries as events.
   */
  write(observation: Observation): void;
  /** Events are never dropped for space; they wait for the store. */
  writeEvent(event: StoredEvent): void;
  /** Writes everything buffered (on shutdown, in tests). */
  flush(): Promise<void>;
  status(): WriterStatus;
}

export interface WriterStatus {
  bufferedSamples: number;
  bufferedEvents: number;
  droppedSamples: number;
  storeReachable: boolean;
  lastFlushAt?: number;
  /** Snapshots waiting (bounded by store.buffer_max_snapshot_rows; the oldest dropped beyond). */
  bufferedSnapshots?: number;
  droppedSnapshots?: number;
}
