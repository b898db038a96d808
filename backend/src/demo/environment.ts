import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { Logger } from 'pino';
import { Config } from '../config/schema';
import { binariesDir, EmbeddedPostgres } from '../embedded/postgres-server';
import { superuserPassword } from '../embedded/superuser-password';
import { sqlFile } from '../sql/sql-file';
import { substitutePsqlVariables } from './role-script';
import { DemoWorkload, startDemoWorkload } from './workload';

export const DEMO_TARGET_NAME = 'demo';
const DEMO_DATABASE = 'shop';
const APP_ROLE = 'demo_app';

export interface DemoEnvironment {
  /** DSNs of the monitor and governor roles, as a configured target would have them. */
  target: { name: string; dsn: string; governorDsn: string };
  server: EmbeddedPostgres;
  stop(): Promise<void>;
}

const secret = () => randomBytes(18).toString('base64url');

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'pg-governor-demo-setup' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Zero-config start: an embedded PostgreSQL (newest major) under embedded.data_dir/demo, the
 * monitor and governor roles from sql/roles (fresh passwords each start), an application role
 * that owns the demo database, and the synthetic workload running as that role.
 */
export async function startDemoEnvironment(config: Config, log: Logger): Promise<DemoEnvironment> {
  const dir = path.resolve(config.embedded.data_dir, 'demo');
  mkdirSync(dir, { recursive: true });
  const server = new EmbeddedPostgres({
    binDir: binariesDir(),
    dataDir: path.join(dir, 'pgdata'),
    password: superuserPassword(dir),
    runAsUser: config.embedded.run_as_user,
    settings: {
      shared_preload_libraries: 'pg_stat_statements',
      'pg_stat_statements.track': 'all',
      track_io_timing: 'on',
      max_connections: 40,
      log_min_messages: 'warning',
    },
    onLog: (line) => log.debug({ component: 'demo-postgres' }, line),
  });
  await server.start();
  log.info({ port: server.port, dataDir: server.dataDir, major: server.major() }, 'demo PostgreSQL started');

  const passwords = { monitor_password: secret(), governor_password: secret(), app: secret() };
  try {
    await withClient(server.url(), async (client) => {
      await client.query(substitutePsqlVariables(sqlFile('roles/monitor-role.sql'), passwords));
      await client.query(substitutePsqlVariables(sqlFile('roles/governor-role.sql'), passwords));
      const role = client.escapeIdentifier(APP_ROLE);
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP_ROLE]);
      await client.query(
        `${exists.rowCount ? 'ALTER' : 'CREATE'} ROLE ${role} LOGIN PASSWORD ${client.escapeLiteral(passwords.app)}`,
      );
      const db = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DEMO_DATABASE]);
      if (!db.rowCount)
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(DEMO_DATABASE)} OWNER ${role}`);
    });
    await withClient(server.url(DEMO_DATABASE), (client) =>
      client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'),
    );
  } catch (error) {
    await server.stop();
    throw error;
  }

  let workload: DemoWorkload | undefined = await startDemoWorkload({
    url: server.url(DEMO_DATABASE, APP_ROLE, passwords.app),
    log: log.child({ component: 'demo-workload' }),
  });
  return {
    target: {
      name: DEMO_TARGET_NAME,
      dsn: server.url(DEMO_DATABASE, 'pgg_monitor', passwords.monitor_password),
      governorDsn: server.url(DEMO_DATABASE, 'pgg_governor', passwords.governor_password),
    },
    server,
    async stop() {
      await workload?.stop();
      workload = undefined;
      await server.stop();
    },
  };
}
