import { Client, Pool } from 'pg';
import pino from 'pino';
import { CONFIGURABLE_ALERTS } from '../../backend/src/catalog/alerts';
import { RunbookCheck } from '../../backend/src/catalog/alerts/types';
import { FINDING_KINDS } from '../../backend/src/catalog/findings';
import { migrate } from '../../backend/src/store/migrate';
import { startPgBouncer, TestPgBouncer } from '../support/pgbouncer';
import { startPostgres, TestPostgres } from '../support/postgres';
import { startReplica } from '../support/replica';

/**
 * The runbooks' SQL, the alerts' and the finding kinds' (docs/runbooks is generated from it), run
 * where each check says it runs: on a real PostgreSQL primary with pg_stat_statements and a
 * partitioned table, on a real standby of it, on PgBouncer's admin console, and on a history store
 * with the backend's migrations applied.
 * The target's statements run in a read-only transaction, as a DBA may run them on a live server.
 * A statement that no longer fits the server fails here, not in front of the person on call.
 */
jest.setTimeout(120_000);

const withSql = (name: string, list: readonly RunbookCheck[]) =>
  list
    .filter((c): c is RunbookCheck & { sql: string } => c.sql !== undefined)
    .map((check, i) => [`${name} #${i + 1}`, check] as const);

/** Every statement once, though alerts and finding kinds share some (first name wins). */
const checks = [
  ...CONFIGURABLE_ALERTS.flatMap((alert) => withSql(alert.id, alert.runbook.checks)),
  ...FINDING_KINDS.flatMap((kind) => withSql(`finding ${kind.id}`, kind.guide.checks)),
].filter(
  ([, check], i, all) => all.findIndex(([, other]) => other.sql === check.sql && other.on === check.on) === i,
);

describe('the SQL of the runbooks', () => {
  let primary: TestPostgres;
  let standby: TestPostgres | undefined;
  let bouncer: TestPgBouncer | undefined;
  const clients: Partial<Record<NonNullable<RunbookCheck['on']>, Client>> = {};

  async function connect(url: string): Promise<Client> {
    const client = new Client({ connectionString: url });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  beforeAll(async () => {
    primary = await startPostgres();
    await primary.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await primary.query(
      `CREATE TABLE events (at timestamptz NOT NULL, body text) PARTITION BY RANGE (at);
       CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
       CREATE TABLE events_default PARTITION OF events DEFAULT;
       CREATE INDEX events_body ON events (body);
       INSERT INTO events VALUES ('2024-06-01', 'a'), ('2030-01-01', 'b');
       ANALYZE events;`,
    );
    // The objects the finding runbooks name as examples (replace the name with the finding's).
    await primary.query(
      `CREATE TABLE my_table (my_column int);
       CREATE INDEX my_index ON my_table (my_column);
       CREATE VIEW my_view AS SELECT * FROM my_table;
       CREATE FUNCTION my_function(integer) RETURNS integer SECURITY DEFINER LANGUAGE sql AS 'SELECT $1';`,
    );
    clients.postgresql = await connect(primary.superuserUrl);

    standby = await startReplica(primary);
    clients.standby = await connect(standby.superuserUrl);

    const password = decodeURIComponent(new URL(primary.superuserUrl).password);
    bouncer = await startPgBouncer({
      databases: { app: `host=127.0.0.1 port=${primary.port} dbname=postgres` },
      users: [
        { name: 'pgb_admin', password: 'bouncer-admin-pw' },
        { name: 'postgres', password },
      ],
    });
    clients.pgbouncer = await connect(bouncer.adminUrl);

    await primary.query('CREATE DATABASE runbook_store');
    const pool = new Pool({ connectionString: primary.url('runbook_store'), max: 1 });
    await migrate(pool, pino({ level: 'silent' }));
    await pool.end();
    clients.store = await connect(primary.url('runbook_store'));
  });

  afterAll(async () => {
    for (const client of Object.values(clients)) await client?.end().catch(() => undefined);
    await bouncer?.destroy();
    await standby?.destroy();
    await primary?.destroy();
  });

  it('covers every place a runbook sends the DBA (sanity)', () => {
    expect(checks.length).toBeGreaterThan(40);
    const places = new Set(checks.map(([, c]) => c.on ?? 'postgresql'));
    expect([...places].sort()).toEqual(['pgbouncer', 'postgresql', 'standby', 'store']);
  });

  it.each(checks)('%s runs where it says', async (_name, check) => {
    const on = check.on ?? 'postgresql';
    const client = clients[on];
    if (!client) throw new Error(`no connection for ${on}`);
    // PgBouncer's console has no transactions; the servers get a read-only one.
    if (on === 'pgbouncer') {
      await client.query(check.sql);
      return;
    }
    await client.query('BEGIN TRANSACTION READ ONLY');
    try {
      await client.query(check.sql);
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
