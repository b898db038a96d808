import { and, filter, maxBy, metric } from './ast';
import { AlertDefinition, ConstantSeries, RunbookCheck } from './types';
import { NO_DATA, singleMetricFixture, sql, T } from './helpers';

/** Only where the server archives (archive_mode on, outside recovery, or always). */
const whereArchiving = (family: string) =>
  and(maxBy(['target'], metric(family)), filter(maxBy(['target'], metric('pg_archiver_enabled')), '>=', 1), [
    'target',
  ]);

/** The series of a value alert over an archiving server, and the quiet case of one that does not archive. */
function archivingFixture(family: string, epsilon: number) {
  const series = (value: number, enabled: number): ConstantSeries[] => [
    { metric: family, labels: T, value },
    { metric: 'pg_archiver_enabled', labels: T, value: enabled },
  ];
  return {
    kind: 'value' as const,
    instance: T,
    epsilon,
    inputs: (value: number) => series(value, 1),
    quietCases: () => [{ name: 'a server that does not archive', series: series(1e6, 0) }],
  };
}

const ARCHIVER: RunbookCheck = {
  what: 'The archiver: how many files it archived and failed, the last of each and when.',
  sql: sql`
    SELECT archived_count, last_archived_wal, last_archived_time,
           failed_count, last_failed_wal, last_failed_time, stats_reset
    FROM pg_stat_archiver;`,
};

const SETTINGS: RunbookCheck = {
  what: 'How archiving is configured (archive_library from PostgreSQL 15 replaces the command).',
  sql: sql`
    SELECT name, setting
    FROM pg_settings
    WHERE name IN ('archive_mode', 'archive_command', 'archive_library', 'archive_timeout', 'wal_segment_size');`,
};

const BACKLOG: RunbookCheck = {
  what: 'What waits to be archived (.ready in pg_wal/archive_status), since when, and how much WAL pg_wal holds.',
  sql: sql`
    SELECT (SELECT count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready') AS ready,
           (SELECT min(modification) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready') AS oldest_ready,
           (SELECT pg_size_pretty(sum(size)) FROM pg_ls_waldir()) AS pg_wal_size;`,
};

const NO_HAND_DELETION =
  'Never delete files from pg_wal or pg_wal/archive_status by hand to free space: the archive loses segments and the server may not restart. If pg_wal is about to fill its disk, grow the disk first.';

export const ARCHIVING_ALERTS: AlertDefinition[] = [
  {
    id: 'wal_archive_failing',
    name: 'PgWalArchiveFailing',
    category: 'backup',
    component: 'postgresql',
    summary: 'WAL archiving fails on {{label.target}}',
    description:
      'pg_stat_archiver on {{label.target}} (archive_mode on): the last failed attempt to archive a WAL file is newer than the last success, and a file still waits. Point-in-time recovery ends at the last archived segment until archiving works again.',
    runbook: {
      meaning:
        'archive_command (or archive_library) fails: WAL stops reaching the archive, so point-in-time recovery ends at the last archived segment, and pg_wal keeps every unarchived segment until its disk fills and the server stops.',
      checks: [
        ARCHIVER,
        {
          what: 'The server log names the failing command and its exit code ("archive command failed with exit code ..."), with what the command printed.',
        },
        SETTINGS,
        BACKLOG,
      ],
      remediation: [
        'Fix what the command reports: a full or unreachable archive destination, expired credentials, a tool missing after an upgrade. The archiver retries the waiting file within a minute.',
        "archive_command is reloadable: `ALTER SYSTEM SET archive_command = '...'; SELECT pg_reload_conf();` (test the command by hand as the server's OS user first).",
        NO_HAND_DELETION,
        'Once it archives again, check the archive for a gap and take a new base backup if the chain is broken.',
      ],
    },
    noData: NO_DATA.blind,
    unit: 'count',
    comparator: '>=',
    levels: { critical: { threshold: 1, for_s: 300 } },
    // The graph of failures against successes tells more than the 0/1 state it links from.
    shownBy: ['pg_archiver_failed_total', 'pg_archiver_failing'],
    instanceLabels: ['target'],
    value: () => maxBy(['target'], metric('pg_archiver_failing')),
    fixtures: singleMetricFixture('pg_archiver_failing', T, 1),
  },
  {
    id: 'wal_archive_backlog',
    name: 'PgWalArchiveBacklog',
    category: 'backup',
    component: 'postgresql',
    summary: '{{value}} WAL files wait to be archived on {{label.target}}',
    description:
      '{{value}} finished WAL files wait for the archiver (.ready in pg_wal/archive_status; threshold {{threshold}}, as check_postgres archive_ready): archiving fails, hangs or cannot keep up with the WAL written. They stay in pg_wal until archived.',
    runbook: {
      meaning:
        'Archiving falls behind: the files waiting are missing from the archive (point-in-time recovery cannot reach them if the server is lost), and they stay in pg_wal until archived, which can fill its disk.',
      checks: [
        BACKLOG,
        ARCHIVER,
        {
          what: 'A command that hangs fails nothing: is an archive_command process running, and for how long (ps on the host: "postgres: archiver ... archiving ..." names the file)?',
        },
        SETTINGS,
      ],
      remediation: [
        'Failures: see the runbook of PgWalArchiveFailing. An empty archive_command with archive_mode on archives nothing and keeps everything: set a command or turn archive_mode off (restart).',
        'Too slow for the WAL written (a bulk load, a large wal_segment_size): use an archiver with parallel or asynchronous push (pgBackRest archive-async, WAL-G), or compress; watch the backlog shrink.',
        NO_HAND_DELETION,
      ],
    },
    noData: NO_DATA.onlyWhereItExists,
    unit: 'count',
    comparator: '>=',
    levels: { warning: { threshold: 10, for_s: 300 }, critical: { threshold: 15, for_s: 300 } },
    instanceLabels: ['target'],
    value: () => whereArchiving('pg_archiver_ready_files'),
    fixtures: archivingFixture('pg_archiver_ready_files', 1),
  },
  {
    id: 'wal_archive_delay',
    name: 'PgWalArchiveDelay',
    category: 'backup',
    component: 'postgresql',
    summary: 'The oldest unarchived WAL file on {{label.target}} has waited {{value}}',
    description:
      'A finished WAL file has waited {{value}} for the archiver (threshold {{threshold}}): everything written since is missing from the archive, and point-in-time recovery from it would lose that much.',
    runbook: {
      meaning:
        'The archive is that far behind the server: if the server were lost now, point-in-time recovery would end that long ago (the recovery point objective is missed), even when nothing reports a failure (a hung command fails nothing).',
      checks: [BACKLOG, ARCHIVER, SETTINGS],
      remediation: [
        'Failures: see the runbook of PgWalArchiveFailing; a hung command: find and end the stuck archive_command process on the host, then fix its destination (a timeout inside the command keeps it from hanging again).',
        'Too slow: see the runbook of PgWalArchiveBacklog.',
        NO_HAND_DELETION,
      ],
    },
    noData: NO_DATA.onlyWhereItExists,
    unit: 'seconds',
    comparator: '>=',
    // The value is itself an age: a short `for` only confirms it over a workload cycle.
    levels: { warning: { threshold: 900, for_s: 60 }, critical: { threshold: 3600, for_s: 60 } },
    instanceLabels: ['target'],
    value: () => whereArchiving('pg_archiver_oldest_ready_age_seconds'),
    fixtures: archivingFixture('pg_archiver_oldest_ready_age_seconds', 1),
  },
];
