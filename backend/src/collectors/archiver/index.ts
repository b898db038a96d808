import { archiverDefinition } from '../../catalog/collectors/archiver';
import { Collector } from '../types';
import { ArchiveReadyRow, ArchiverRow, deriveArchiver } from './derive';

/** SQLSTATE insufficient_privilege. */
const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * The .ready backlog where the role may list pg_wal/archive_status; undefined (unknown) where it
 * may not, whether the privilege check says so or the server refuses anyway.
 */
async function readyBacklog(
  query: (name: string) => Promise<ArchiveReadyRow[]>,
  allowed: boolean,
): Promise<ArchiveReadyRow | undefined> {
  if (!allowed) return undefined;
  try {
    const [ready] = await query('archiver-ready');
    return ready;
  } catch (error) {
    if ((error as { code?: unknown }).code === INSUFFICIENT_PRIVILEGE) return undefined;
    throw error;
  }
}

export const archiverCollector: Collector = {
  ...archiverDefinition,
  async collect(context) {
    const [row] = await context.query<ArchiverRow>('archiver');
    if (!row) throw new Error('archiver query returned no row');
    const ready = await readyBacklog(
      (name) => context.query<ArchiveReadyRow>(name),
      row.can_list_archive_status,
    );
    return { samples: deriveArchiver(row, ready) };
  },
};
