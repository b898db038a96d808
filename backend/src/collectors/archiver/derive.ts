import { Sample } from '../types';

/** The row of sql/collectors/archiver.pg14.sql. */
export interface ArchiverRow {
  archived_count: number;
  failed_count: number;
  /** NULL when nothing was archived since the statistics reset. */
  last_archived_age_seconds: number | null;
  /** NULL when nothing failed since the statistics reset. */
  last_failed_age_seconds: number | null;
  archive_mode: string;
  in_recovery: boolean;
  can_list_archive_status: boolean;
  [key: string]: unknown;
}

/** The row of sql/collectors/archiver-ready.pg14.sql. */
export interface ArchiveReadyRow {
  ready_files: number;
  /** NULL when no file waits. */
  oldest_ready_age_seconds: number | null;
  [key: string]: unknown;
}

/**
 * Whether this server archives: 'always' archives everywhere; 'on' only outside recovery (a
 * standby with 'on' leaves archiving to its primary and marks what it receives as done).
 */
export function archives(row: Pick<ArchiverRow, 'archive_mode' | 'in_recovery'>): boolean {
  return row.archive_mode === 'always' || (row.archive_mode === 'on' && !row.in_recovery);
}

/**
 * Whether archiving is failing now: this server archives, its last attempt failed (a failure newer
 * than the last success, or a failure and never a success), and a file still waits where the
 * backlog is known. A failure that someone resolved by hand (the .ready file removed) on a server
 * that wrote no WAL since would otherwise look failing until the next segment is archived.
 */
export function failing(row: ArchiverRow, ready: ArchiveReadyRow | undefined): boolean {
  const failedAge = row.last_failed_age_seconds;
  if (!archives(row) || failedAge === null) return false;
  const archivedAge = row.last_archived_age_seconds;
  const lastAttemptFailed = archivedAge === null || failedAge < archivedAge;
  return lastAttemptFailed && (ready === undefined || ready.ready_files > 0);
}

/**
 * Archiving health as samples. `ready` is the backlog, undefined where the role may not list
 * pg_wal/archive_status: then the backlog families are absent (unknown), not zero.
 */
export function deriveArchiver(row: ArchiverRow, ready: ArchiveReadyRow | undefined): Sample[] {
  const samples: Sample[] = [];
  const add = (metric: string, value: number) => samples.push({ metric, labels: {}, value });
  // Ages by the server's clock: a file finished between now() and the read may be a hair "in the future".
  const age = (seconds: number) => Math.max(0, seconds);
  add('pg_archiver_enabled', archives(row) ? 1 : 0);
  add('pg_archiver_archived_total', row.archived_count);
  add('pg_archiver_failed_total', row.failed_count);
  if (row.last_archived_age_seconds !== null)
    add('pg_archiver_last_archived_age_seconds', age(row.last_archived_age_seconds));
  if (row.last_failed_age_seconds !== null)
    add('pg_archiver_last_failed_age_seconds', age(row.last_failed_age_seconds));
  add('pg_archiver_failing', failing(row, ready) ? 1 : 0);
  if (ready) {
    add('pg_archiver_ready_files', ready.ready_files);
    add('pg_archiver_oldest_ready_age_seconds', age(ready.oldest_ready_age_seconds ?? 0));
  }
  return samples;
}
