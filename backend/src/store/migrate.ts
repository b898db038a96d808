import { Pool } from 'pg';
import { Logger } from 'pino';
import { sqlFile } from '../sql/sql-file';
import { MigrationFile, readMigrations } from './migration-files';
import { inTransaction, withClient } from './transaction';

const q = (name: string) => sqlFile(`store/queries/${name}.sql`);

/**
 * Applies the store's migrations that are not applied yet, in order, each in its own transaction
 * and recorded in store_migrations. Under a session advisory lock, so that backends starting
 * together migrate one after the other (the later ones find nothing to do); a backend that dies
 * mid-migration rolls its transaction back and releases the lock with its connection.
 * Returns the names of the files it applied.
 */
export async function migrate(
  pool: Pool,
  log: Logger,
  migrations: MigrationFile[] = readMigrations(),
): Promise<string[]> {
  return withClient(pool, async (client) => {
    await client.query(q('migration-lock'));
    try {
      await client.query(q('migrations-table'));
      const rows = (
        await client.query<{ version: number; name: string; checksum: string }>(q('applied-migrations'))
      ).rows;
      const applied = new Map(rows.map((r) => [r.version, r]));
      const done: string[] = [];
      for (const migration of migrations) {
        const existing = applied.get(migration.version);
        if (existing) {
          if (existing.checksum !== migration.checksum)
            log.warn(
              { migration: migration.name },
              'store migration changed after it was applied; not applied again',
            );
          continue;
        }
        try {
          await inTransaction(client, async () => {
            await client.query(migration.sql);
            await client.query(q('record-migration'), [
              migration.version,
              migration.name,
              migration.checksum,
            ]);
          });
        } catch (error) {
          throw new Error(`store migration ${migration.name} failed: ${(error as Error).message}`, {
            cause: error,
          });
        }
        log.info({ migration: migration.name }, 'store migration applied');
        done.push(migration.name);
      }
      const newest = migrations[migrations.length - 1]?.version ?? 0;
      const ahead = rows.filter((r) => r.version > newest).map((r) => r.name);
      if (ahead.length > 0)
        log.warn(
          { migrations: ahead },
          'the store has migrations this backend does not know (a newer backend shares it)',
        );
      return done;
    } finally {
      // Also released with the session if this fails (connection lost).
      await client.query(q('migration-unlock')).catch(() => undefined);
    }
  });
}
