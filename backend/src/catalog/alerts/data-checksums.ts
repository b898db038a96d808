import { SHARED_CATALOG_CHECKSUM_FAILURES } from '../collectors/shared-catalog-checksums';
import { constantLabel, maxBy, metric, or, rangeCall } from './ast';
import { AlertDefinition, FixtureCase, FixtureContext } from './types';
import { NO_DATA, sql, T } from './helpers';

const DATABASE = ['target', 'datname'];
const FAILURES = 'pg_database_checksum_failures_total';
const INSTANCE = { ...T, datname: 'app' };
/**
 * The datname the alert gives the shared catalogs' failures (pg_stat_database's row of datid 0,
 * datname NULL): not a name PostgreSQL would give a database of its own accord.
 */
export const SHARED_CATALOGS_DATNAME = '(shared catalogs)';
const SHARED_INSTANCE = { ...T, datname: SHARED_CATALOGS_DATNAME };

/** The counter's cases: a failure fires at once and for a window, old failures and a reset do not. */
function cases({ params }: FixtureContext): FixtureCase[] {
  const window = (params.window_s as number) / 60;
  const counter = (segments: { value: number; count: number }[]) => [
    { metric: FAILURES, labels: INSTANCE, segments },
  ];
  return [
    {
      name: 'a page fails its checksum',
      instance: INSTANCE,
      series: counter([
        { value: 0, count: 10 },
        { value: 1, count: window + 20 },
      ]),
      checks: [
        { atMinute: 9, firing: [] },
        { atMinute: 10, firing: ['critical'] },
        { atMinute: 10 + window / 2, firing: ['critical'] },
        // A window without a new failure: resolved (pg_stat_database still counts the old ones).
        { atMinute: 10 + window + 5, firing: [] },
      ],
    },
    {
      name: 'failures counted before, none since',
      instance: INSTANCE,
      series: counter([{ value: 3, count: window + 10 }]),
      checks: [
        { atMinute: window / 2, firing: [] },
        { atMinute: window + 5, firing: [] },
      ],
    },
    {
      name: 'a page of a shared catalog fails its checksum',
      instance: SHARED_INSTANCE,
      series: [
        {
          metric: SHARED_CATALOG_CHECKSUM_FAILURES,
          labels: T,
          segments: [
            { value: 0, count: 10 },
            { value: 1, count: window + 20 },
          ],
        },
      ],
      checks: [
        { atMinute: 9, firing: [] },
        { atMinute: 10, firing: ['critical'] },
        { atMinute: 10 + window + 5, firing: [] },
      ],
    },
    {
      name: 'the statistics reset',
      instance: INSTANCE,
      series: counter([
        { value: 3, count: 10 },
        { value: 0, count: 20 },
      ]),
      checks: [{ atMinute: 15, firing: [] }],
    },
  ];
}

export const DATA_CHECKSUM_ALERTS: AlertDefinition[] = [
  {
    id: 'data_checksum_failure',
    name: 'PgDataChecksumFailure',
    category: 'storage',
    component: 'postgresql',
    summary: 'Data page checksum failures in {{label.datname}} on {{label.target}}',
    description:
      'PostgreSQL read {{value}} data pages of {{label.datname}} whose checksum does not match their contents within the alert window (an hour by default; pg_stat_database.checksum_failures, whose row of datid 0 counts the shared catalogs such as pg_authid and pg_database; threshold {{threshold}}, as pgmonitor PGDataChecksum): pages on disk are corrupt, and the queries reading them fail.',
    runbook: {
      meaning:
        'A page on disk no longer holds what PostgreSQL wrote: the storage, the memory or the kernel damaged it. Queries that read it fail ("invalid page in block ..."); the rows on it may be lost; and the fault that did it may damage more pages, on this server and in the backups taken from it.',
      checks: [
        {
          what: 'Which databases counted failures and when the last one was (a NULL datname: shared catalogs).',
          sql: sql`
            SELECT datname, checksum_failures, checksum_last_failure
            FROM pg_stat_database
            WHERE checksum_failures > 0
            ORDER BY checksum_last_failure DESC;`,
        },
        {
          what: 'The server log names each damaged page: "page verification failed, calculated checksum ... but expected ..." with the relation file and block, and the statements that failed reading it.',
        },
        {
          what: 'Which relation a file named in the log is (run in the database it belongs to; the number is the last part of `base/<dboid>/<filenode>` in the log).',
          sql: sql`
            SELECT pg_filenode_relation(0, 16384) AS relation;`,
        },
        {
          what: "The host: the kernel log (dmesg: I/O errors, ECC memory errors), the disks' SMART data, the RAID controller or the cloud volume's status.",
        },
      ],
      remediation: [
        'Do not turn on zero_damaged_pages or ignore_checksum_failure to make the errors go away: the server then reads past the damage, and the rows on those pages are lost for good.',
        'An index: rebuild it, `REINDEX INDEX CONCURRENTLY <schema>.<index>;`. A table: its good copy is on a physical standby (its pages were written there independently) or in a backup; with a failing disk or memory, fail over to a standby on other hardware.',
        'Check the whole cluster before trusting it (pg_amcheck, or `pg_checksums --check` on the stopped server), and keep the backups taken before the damage: they may hold the good pages.',
      ],
    },
    noData: NO_DATA.onlyWhereItExists,
    unit: 'count',
    comparator: '>=',
    levels: { critical: { threshold: 1, for_s: 0 } },
    params: { window_s: 3600 },
    instanceLabels: DATABASE,
    // The shared catalogs' count is a series of its own, without a database: named in the alert.
    value: (p) =>
      or(
        maxBy(DATABASE, rangeCall('increase', metric(FAILURES), p.window_s as number)),
        constantLabel(
          maxBy(
            ['target'],
            rangeCall('increase', metric(SHARED_CATALOG_CHECKSUM_FAILURES), p.window_s as number),
          ),
          'datname',
          SHARED_CATALOGS_DATNAME,
        ),
      ),
    fixtures: { kind: 'custom', cases },
  },
];
