import { Sample } from '../types';
import { ArchiveReadyRow, ArchiverRow, archives, deriveArchiver, failing } from './derive';

function row(overrides: Partial<ArchiverRow> = {}): ArchiverRow {
  return {
    archived_count: 120,
    failed_count: 0,
    last_archived_age_seconds: 30,
    last_failed_age_seconds: null,
    archive_mode: 'on',
    in_recovery: false,
    can_list_archive_status: true,
    ...overrides,
  };
}
const NONE_WAITING: ArchiveReadyRow = { ready_files: 0, oldest_ready_age_seconds: null };
const value = (samples: Sample[], metric: string) => samples.find((s) => s.metric === metric)?.value;

describe('archives', () => {
  it("archives with 'always' everywhere and with 'on' only outside recovery", () => {
    expect(archives({ archive_mode: 'on', in_recovery: false })).toBe(true);
    expect(archives({ archive_mode: 'on', in_recovery: true })).toBe(false);
    expect(archives({ archive_mode: 'always', in_recovery: true })).toBe(true);
    expect(archives({ archive_mode: 'off', in_recovery: false })).toBe(false);
  });
});

describe('failing', () => {
  const waiting: ArchiveReadyRow = { ready_files: 3, oldest_ready_age_seconds: 400 };

  it('is failing when the last failure is newer than the last success and a file waits', () => {
    expect(
      failing(row({ failed_count: 5, last_failed_age_seconds: 10, last_archived_age_seconds: 900 }), waiting),
    ).toBe(true);
  });

  it('is failing when nothing was ever archived but an attempt failed', () => {
    expect(failing(row({ last_archived_age_seconds: null, last_failed_age_seconds: 5 }), waiting)).toBe(true);
  });

  it('is not failing once a success came after the failure', () => {
    expect(failing(row({ last_failed_age_seconds: 600, last_archived_age_seconds: 20 }), NONE_WAITING)).toBe(
      false,
    );
  });

  it('is not failing when no file waits any more (resolved by hand), yet is when the backlog is unknown', () => {
    const failed = row({ last_failed_age_seconds: 10, last_archived_age_seconds: 900 });
    expect(failing(failed, NONE_WAITING)).toBe(false);
    expect(failing(failed, undefined)).toBe(true);
  });

  it('is not failing on a server that does not archive (archive_mode off, or on in recovery)', () => {
    const failed = { last_failed_age_seconds: 10, last_archived_age_seconds: 900 };
    expect(failing(row({ ...failed, archive_mode: 'off' }), waiting)).toBe(false);
    expect(failing(row({ ...failed, in_recovery: true }), waiting)).toBe(false);
  });
});

describe('deriveArchiver', () => {
  it('exports the counters, the ages, the state and the backlog of a healthy archiver', () => {
    const samples = deriveArchiver(row(), { ready_files: 1, oldest_ready_age_seconds: 2.5 });
    expect(Object.fromEntries(samples.map((s) => [s.metric, s.value]))).toEqual({
      pg_archiver_enabled: 1,
      pg_archiver_archived_total: 120,
      pg_archiver_failed_total: 0,
      pg_archiver_last_archived_age_seconds: 30,
      pg_archiver_failing: 0,
      pg_archiver_ready_files: 1,
      pg_archiver_oldest_ready_age_seconds: 2.5,
    });
    expect(samples.every((s) => Object.keys(s.labels).length === 0)).toBe(true);
  });

  it('reports a failing archiver with the age of its last failure', () => {
    const samples = deriveArchiver(
      row({ failed_count: 7, last_failed_age_seconds: 12, last_archived_age_seconds: 3600 }),
      { ready_files: 4, oldest_ready_age_seconds: 3500 },
    );
    expect(value(samples, 'pg_archiver_failing')).toBe(1);
    expect(value(samples, 'pg_archiver_failed_total')).toBe(7);
    expect(value(samples, 'pg_archiver_last_failed_age_seconds')).toBe(12);
    expect(value(samples, 'pg_archiver_oldest_ready_age_seconds')).toBe(3500);
  });

  it('leaves the backlog unknown (absent), not zero, where the role may not list archive_status', () => {
    const samples = deriveArchiver(row({ can_list_archive_status: false }), undefined);
    expect(value(samples, 'pg_archiver_ready_files')).toBeUndefined();
    expect(value(samples, 'pg_archiver_oldest_ready_age_seconds')).toBeUndefined();
    expect(value(samples, 'pg_archiver_archived_total')).toBe(120);
  });

  it('gives an oldest age of zero when nothing waits, and no ages for what never happened', () => {
    const samples = deriveArchiver(
      row({ archive_mode: 'off', archived_count: 0, last_archived_age_seconds: null }),
      NONE_WAITING,
    );
    expect(value(samples, 'pg_archiver_enabled')).toBe(0);
    expect(value(samples, 'pg_archiver_oldest_ready_age_seconds')).toBe(0);
    expect(value(samples, 'pg_archiver_last_archived_age_seconds')).toBeUndefined();
    expect(value(samples, 'pg_archiver_last_failed_age_seconds')).toBeUndefined();
  });

  it('never gives a negative age (a file finished while the statement ran)', () => {
    const samples = deriveArchiver(row({ last_archived_age_seconds: -0.002 }), {
      ready_files: 1,
      oldest_ready_age_seconds: -0.001,
    });
    expect(value(samples, 'pg_archiver_last_archived_age_seconds')).toBe(0);
    expect(value(samples, 'pg_archiver_oldest_ready_age_seconds')).toBe(0);
  });
});
