import { Pool } from 'pg';
import { Logger } from 'pino';
import { MigrationFile, readMigrations } from './migration-files';
import { inTransaction } from '../sql/transaction';
import { withClient } from './transaction';
import { storeQuery } from './store-query';

/** The migrations' session advisory lock: 'PGG_MIGR' as a bigint (text: pg reads it as bigint). */
const MIGRATION_LOCK_KEY = '5784670721024804690';

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
    await client.query(storeQuery('migration-lock'), [MIGRATION_LOCK_KEY]);
    try {
      await client.query(storeQuery('migrations-table'));
      const rows = (
        await client.query<{ version: number; name: string; checksum: string }>(
          storeQuery('applied-migrations'),
        )
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
            await client.query(storeQuery('record-migration'), [
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
      await client.query(storeQuery('migration-unlock'), [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  });
}
