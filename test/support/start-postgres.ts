import { randomBytes } from 'node:crypto';
import { binariesDir, EmbeddedPostgres } from '../../backend/src/embedded/postgres-server';
import { installExitCleanup } from './exit-cleanup';
import { NEWEST_MAJOR, PgMajor } from './majors';
import { reapServer } from './reap-server';
import { createDataDir } from './scratch-dir';
import { recordServer, removeRecord, updateRecord } from './server-registry';
import { TestPostgres } from './test-postgres';

type Settings = Record<string, string | number | boolean>;

export interface StartPostgresOptions {
  /** Default: NEWEST_MAJOR. */
  major?: PgMajor;
  /** Server settings; they win over the harness defaults. */
  settings?: Settings;
  /** Default 50. */
  maxConnections?: number;
}

const DEFAULT_MAX_CONNECTIONS = 50;
const START_ATTEMPTS = 3;
/** Another process took the port between our probe and the server's bind: pick another. */
const PORT_TAKEN = /could not bind|address already in use/i;

function serverSettings(options: StartPostgresOptions): Settings {
  return {
    // The collectors read pg_stat_statements: every test server has it, as production targets do.
    shared_preload_libraries: 'pg_stat_statements',
    'pg_stat_statements.track': 'all',
    track_io_timing: 'on',
    // Durability buys nothing on a throwaway server and costs seconds per suite.
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    ...options.settings,
  };
}

async function startOnFreePort(create: () => EmbeddedPostgres): Promise<EmbeddedPostgres> {
  for (let attempt = 1; ; attempt++) {
    const server = create();
    try {
      await server.start();
      return server;
    } catch (error) {
      if (attempt >= START_ATTEMPTS || !PORT_TAKEN.test(String(error))) throw error;
    }
  }
}

/**
 * A throwaway server on a free 127.0.0.1 port with a fresh data folder under os.tmpdir()/pgg-test,
 * superuser `postgres` with a random password, pg_stat_statements created in database postgres.
 * Recorded on disk before it starts, so an exit handler or global teardown removes it if the test
 * never calls destroy().
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<TestPostgres> {
  const major = options.major ?? NEWEST_MAJOR;
  const dataDir = createDataDir();
  let record = recordServer(dataDir, major);
  installExitCleanup();
  const password = randomBytes(18).toString('base64url');
  const settings = serverSettings(options);
  try {
    const server = await startOnFreePort(
      () => new EmbeddedPostgres({ binDir: binariesDir(`pg-bin-${major}`), dataDir, password, settings }),
    );
    record = updateRecord(record, { port: server.port, postmasterPid: server.pid ?? null });
    const pg = new TestPostgres(server, major, record);
    await pg.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    return pg;
  } catch (error) {
    reapServer(record);
    removeRecord(record.id);
    throw error;
  }
}
