import { Sample } from '../types';

/** A row of sql/collectors/checkpoints.pg*.sql (the same on every major). */
export interface CheckpointsRow {
  checkpoints_timed: number;
  checkpoints_requested: number;
  write_time_seconds: number;
  sync_time_seconds: number;
  buffers_written: number;
  buffers_clean: number;
  maxwritten_clean: number;
  buffers_alloc: number;
  stats_reset_ms: number | null;
  [key: string]: unknown;
}

/**
 * The requested share is measured over this much history. Checkpoints are minutes apart
 * (checkpoint_timeout 5 min by default): over one minute the share would jump between 0 and 1,
 * and a single manual CHECKPOINT would look like thrash. Over an hour, thrash (max_wal_size too
 * small for the write load) stands out and a one-off request does not.
 */
export const REQUESTED_RATIO_WINDOW_MS = 60 * 60 * 1000;

interface CheckpointPoint {
  at: number;
  timed: number;
  requested: number;
}

/** Checkpoint counts of past cycles within the window, oldest first; kept in context.state. */
export interface CheckpointHistory {
  epoch: string;
  points: CheckpointPoint[];
}

const COUNTERS: [keyof CheckpointsRow & string, string][] = [
  ['checkpoints_timed', 'pg_checkpoints_timed_total'],
  ['checkpoints_requested', 'pg_checkpoints_requested_total'],
  ['write_time_seconds', 'pg_checkpoint_write_time_seconds_total'],
  ['sync_time_seconds', 'pg_checkpoint_sync_time_seconds_total'],
  ['buffers_written', 'pg_checkpoint_buffers_written_total'],
  ['buffers_clean', 'pg_bgwriter_buffers_clean_total'],
  ['maxwritten_clean', 'pg_bgwriter_maxwritten_clean_total'],
  ['buffers_alloc', 'pg_buffers_alloc_total'],
];

/**
 * The counters as read, and the share of requested checkpoints among all checkpoints over the
 * last REQUESTED_RATIO_WINDOW_MS (0 when there was none; absent on the first cycle). After a reset
 * (stats_reset changed or a count went back) the counts since the reset are used.
 */
export function deriveCheckpoints(
  row: CheckpointsRow,
  history: CheckpointHistory | undefined,
  now: number,
): { samples: Sample[]; history: CheckpointHistory } {
  const samples: Sample[] = COUNTERS.map(([column, metric]) => ({
    metric,
    labels: {},
    value: row[column] as number,
  }));
  const epoch = String(row.stats_reset_ms ?? '');
  const current: CheckpointPoint = {
    at: now,
    timed: row.checkpoints_timed,
    requested: row.checkpoints_requested,
  };
  const points = [...(history?.points ?? [])];
  const last = points[points.length - 1];
  if (
    history &&
    last &&
    (history.epoch !== epoch || current.timed < last.timed || current.requested < last.requested)
  ) {
    // Counted from zero since a moment within the last interval.
    points.splice(0, points.length, { at: last.at, timed: 0, requested: 0 });
  }
  if (last && now <= last.at) points[points.length - 1] = current;
  else points.push(current);
  while (points.length > 2 && (points[1] as CheckpointPoint).at <= now - REQUESTED_RATIO_WINDOW_MS)
    points.shift();

  const base = points[0] as CheckpointPoint;
  if (points.length >= 2) {
    const requested = current.requested - base.requested;
    const all = current.timed - base.timed + requested;
    samples.push({
      metric: 'pg_checkpoint_requested_ratio',
      labels: {},
      value: all > 0 ? requested / all : 0,
    });
  }
  return { samples, history: { epoch, points } };
}
