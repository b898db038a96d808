import { CollectContext } from '../types';
import { ArchiverRow } from './derive';
import { archiverCollector } from '.';

const ROW: ArchiverRow = {
  archived_count: 3,
  failed_count: 0,
  last_archived_age_seconds: 5,
  last_failed_age_seconds: null,
  archive_mode: 'on',
  in_recovery: false,
  can_list_archive_status: true,
};

/** A context answering the archiver's queries; `ready` answers (or throws for) the backlog. */
function context(row: ArchiverRow, ready: () => unknown[], ran: string[] = []): CollectContext {
  return {
    async query(name: string) {
      ran.push(name);
      return name === 'archiver' ? [row] : ready();
    },
  } as unknown as CollectContext;
}

const metrics = (samples: { metric: string }[]) => samples.map((s) => s.metric);

describe('archiver collector', () => {
  it('reads the backlog where the role may list archive_status', async () => {
    const ran: string[] = [];
    const { samples } = await archiverCollector.collect(
      context(ROW, () => [{ ready_files: 2, oldest_ready_age_seconds: 9 }], ran),
    );
    expect(ran).toEqual(['archiver', 'archiver-ready']);
    expect(metrics(samples)).toContain('pg_archiver_ready_files');
  });

  it('does not ask for the backlog where the privilege check says no: unknown, no failure', async () => {
    const ran: string[] = [];
    const { samples, error } = await archiverCollector.collect(
      context({ ...ROW, can_list_archive_status: false }, () => [], ran),
    );
    expect(ran).toEqual(['archiver']);
    expect(error).toBeUndefined();
    expect(metrics(samples)).not.toContain('pg_archiver_ready_files');
  });

  it('takes a permission error on the backlog as unknown, and fails on any other error', async () => {
    const denied = Object.assign(new Error('permission denied for function pg_ls_archive_statusdir'), {
      code: '42501',
    });
    const { samples } = await archiverCollector.collect(
      context(ROW, () => {
        throw denied;
      }),
    );
    expect(metrics(samples)).not.toContain('pg_archiver_ready_files');
    expect(metrics(samples)).toContain('pg_archiver_archived_total');

    const lost = new Error('Connection terminated unexpectedly');
    await expect(
      archiverCollector.collect(
        context(ROW, () => {
          throw lost;
        }),
      ),
    ).rejects.toBe(lost);
  });
});
