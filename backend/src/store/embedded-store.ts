import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { Logger } from 'pino';
import { Config } from '../config/schema';
import { binariesDir, EmbeddedPostgres } from '../embedded/postgres-server';
import { superuserPassword } from '../embedded/superuser-password';
import { storeQuery } from './store-query';

const STORE_DATABASE = 'pgg_history';

export interface EmbeddedStore {
  server: EmbeddedPostgres;
  /** Connection string of the history database. */
  url: string;
}

/**
 * The history store when no store.url is configured: an embedded PostgreSQL (newest major) under
 * <embedded.data_dir>/store, persistent across restarts, on a free loopback port.
 */
export async function startEmbeddedStore(settings: Config['embedded'], log: Logger): Promise<EmbeddedStore> {
  const dir = path.resolve(settings.data_dir, 'store');
  mkdirSync(dir, { recursive: true });
  const server = new EmbeddedPostgres({
    binDir: binariesDir(),
    dataDir: path.join(dir, 'pgdata'),
    password: superuserPassword(dir),
    runAsUser: settings.run_as_user,
    settings: { max_connections: 20, log_min_messages: 'warning' },
    onLog: (line) => log.debug({ component: 'store-postgres' }, line),
  });
  await server.start();
  try {
    const client = new Client({ connectionString: server.url(), application_name: 'pg-governor-store' });
    await client.connect();
    try {
      const exists = await client.query(storeQuery('database-exists'), [STORE_DATABASE]);
      // CREATE DATABASE takes no bind parameters; the name is a constant.
      if (!exists.rowCount) await client.query(storeQuery('create-database'));
    } finally {
      await client.end();
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  log.info({ port: server.port, dataDir: server.dataDir }, 'embedded history store started');
  return { server, url: server.url(STORE_DATABASE) };
}
