import { counter, gauge } from '../define';
import { CollectorDefinition } from '../types';

/**
 * Workload loop: WAL archiving health (pg_stat_archiver, archive_mode, the .ready backlog in
 * pg_wal/archive_status). A server whose archiving fails has no point-in-time recovery, and
 * pg_wal keeps every unarchived segment until its disk is full. Runs on standbys too.
 */
export const archiverDefinition: CollectorDefinition = {
  name: 'archiver',
  loop: 'workload',
  description:
    'WAL archiving: archived and failed counts, age of the last success and failure (pg_stat_archiver), whether this server archives (archive_mode), whether the last attempt failed, and the .ready backlog with the age of its oldest segment (pg_ls_archive_statusdir, pg_monitor)',
  queries: ['archiver', 'archiver-ready'],
  metrics: [
    gauge(
      'pg_archiver_enabled',
      "1 when this server archives WAL (archive_mode 'always', or 'on' outside recovery), else 0",
    ),
    counter('pg_archiver_archived_total', 'WAL files archived successfully (pg_stat_archiver)'),
    counter('pg_archiver_failed_total', 'Failed attempts to archive a WAL file (pg_stat_archiver)'),
    gauge(
      'pg_archiver_last_archived_age_seconds',
      'Seconds since the last successful archive; absent when none since the statistics reset',
      's',
    ),
    gauge(
      'pg_archiver_last_failed_age_seconds',
      'Seconds since the last failed archive attempt; absent when none since the statistics reset',
      's',
    ),
    gauge(
      'pg_archiver_failing',
      '1 while this server archives and its last attempt failed (a failure newer than the last success, with a segment still waiting), else 0',
    ),
    gauge(
      'pg_archiver_ready_files',
      'WAL files waiting to be archived (.ready in pg_wal/archive_status); absent where the role may not list it (pg_monitor)',
    ),
    gauge(
      'pg_archiver_oldest_ready_age_seconds',
      'Seconds the oldest WAL file waiting to be archived has waited (0 when none waits); absent where the role may not list pg_wal/archive_status',
      's',
    ),
  ],
};
