import { Client, escapeIdentifier } from 'pg';
import { findWriteCapabilities, WriteCapability } from '../backend/src/db/privileges';
import { inspectServer } from '../backend/src/db/server-info';
import { substitutePsqlVariables } from '../backend/src/demo/role-script';
import { sqlFile } from '../backend/src/sql/sql-file';
import { forEachMajor, majorsUnderTest, startPostgres, TestPostgres } from './support/postgres';

/**
 * The roles a DBA creates from sql/roles, checked against the privilege check and the server
 * inspection that PG Governor runs whenever it (re)connects to a target, on every major.
 */

// A project-level testTimeout is not applied by jest (it is a global option): servers start in the
// hooks, and a loaded machine can take longer than the 5 s default.
jest.setTimeout(60_000);

const MONITOR_PASSWORD = 'monitor-secret';
const GOVERNOR_PASSWORD = 'governor-secret';
const ROLE_PASSWORD = 'role-secret';
const MAX_CONNECTIONS = 40;

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function capabilitiesOf(url: string): Promise<WriteCapability[]> {
  return withClient(url, (client) => findWriteCapabilities(client));
}

function runRoleScripts(pg: TestPostgres, monitorPassword = MONITOR_PASSWORD): Promise<unknown> {
  const variables = { monitor_password: monitorPassword, governor_password: GOVERNOR_PASSWORD };
  return pg.query(
    substitutePsqlVariables(sqlFile('roles/monitor-role.sql'), variables) +
      substitutePsqlVariables(sqlFile('roles/governor-role.sql'), variables),
  );
}

async function createDatabase(pg: TestPostgres, name: string): Promise<void> {
  await pg.query(`CREATE DATABASE ${escapeIdentifier(name)}`);
}

/** What PostgreSQL 14 reports for any role: PUBLIC holds CREATE on schema public. */
function expectPublicSchemaCreateOnly(caps: WriteCapability[]): void {
  expect(caps).toHaveLength(1);
  expect(caps[0]?.kind).toBe('schema_create');
  expect(caps[0]?.detail).toContain('CREATE on schema public, granted to PUBLIC');
  expect(caps[0]?.detail).toContain('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
}

/** The capabilities besides PostgreSQL 14's public-schema default. */
function beyondPublicDefault(caps: WriteCapability[]): WriteCapability[] {
  return caps.filter((cap) => !cap.detail.startsWith('CREATE on schema public, granted to PUBLIC'));
}

forEachMajor((major) => {
  let pg: TestPostgres;
  const monitorUrl = (database = 'postgres'): string => pg.url(database, 'pgg_monitor', MONITOR_PASSWORD);
  const governorUrl = (database = 'postgres'): string => pg.url(database, 'pgg_governor', GOVERNOR_PASSWORD);
  const roleUrl = (role: string): string => pg.url('postgres', role, ROLE_PASSWORD);

  beforeAll(async () => {
    pg = await startPostgres({
      major,
      maxConnections: MAX_CONNECTIONS,
      // reserved_connections exists from 16 on; an unknown setting would stop the server.
      settings: major >= 16 ? { reserved_connections: 2 } : {},
    });
    await runRoleScripts(pg);
  });

  afterAll(async () => {
    await pg?.destroy();
  });

  describe('the monitor role from sql/roles/monitor-role.sql', () => {
    it(
      major < 15
        ? 'can only create in schema public (the PG14 default), and nothing once that is revoked'
        : 'can write nothing',
      async () => {
        await createDatabase(pg, 'monitor_check');
        const caps = await capabilitiesOf(monitorUrl('monitor_check'));
        if (major < 15) {
          expectPublicSchemaCreateOnly(caps);
          await withClient(pg.url('monitor_check'), (c) =>
            c.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC'),
          );
          await expect(capabilitiesOf(monitorUrl('monitor_check'))).resolves.toEqual([]);
        } else {
          expect(caps).toEqual([]);
        }
      },
    );

    it('starts its sessions read-only, with short timeouts', async () => {
      const settings = await withClient(monitorUrl(), async (client) => {
        const { rows } = await client.query<{ name: string; setting: string }>(
          `SELECT name, current_setting(name) AS setting FROM unnest($1::text[]) AS name`,
          [
            [
              'default_transaction_read_only',
              'statement_timeout',
              'lock_timeout',
              'idle_in_transaction_session_timeout',
            ],
          ],
        );
        return Object.fromEntries(rows.map((row) => [row.name, row.setting]));
      });
      expect(settings).toEqual({
        default_transaction_read_only: 'on',
        statement_timeout: '5s',
        lock_timeout: '1s',
        idle_in_transaction_session_timeout: '10s',
      });
    });

    it('is put back in shape by running the script again, which also changes the password', async () => {
      await pg.query('ALTER ROLE pgg_monitor CREATEDB NOLOGIN CONNECTION LIMIT 50');
      await runRoleScripts(pg, 'new-monitor-secret');
      const [role] = await pg.query(
        `SELECT rolcanlogin, rolcreatedb, rolconnlimit, pg_has_role('pgg_monitor', 'pg_monitor', 'USAGE') AS monitor
           FROM pg_roles WHERE rolname = 'pgg_monitor'`,
      );
      expect(role).toEqual({ rolcanlogin: true, rolcreatedb: false, rolconnlimit: 5, monitor: true });
      const url = pg.url('postgres', 'pgg_monitor', 'new-monitor-secret');
      await expect(withClient(url, (c) => c.query('SELECT 1'))).resolves.toBeDefined();
      await runRoleScripts(pg); // back to the password the other tests use
    });
  });

  describe('the privilege check', () => {
    it('reports a superuser as such, and nothing else', async () => {
      const caps = await capabilitiesOf(pg.superuserUrl);
      expect(caps.map((cap) => cap.kind)).toEqual(['superuser']);
      expect(caps[0]?.detail).toContain('postgres is a superuser');
    });

    it('reports a role granted INSERT on one table, naming the table', async () => {
      await pg.query(
        'CREATE SCHEMA shop; CREATE TABLE shop.orders (id int); CREATE TABLE shop.items (id int)',
      );
      await pg.createRole('clerk', { password: ROLE_PASSWORD });
      await pg.query('GRANT INSERT ON shop.orders TO clerk');
      const caps = beyondPublicDefault(await capabilitiesOf(roleUrl('clerk')));
      expect(caps).toEqual([
        {
          kind: 'table_write',
          detail: 'INSERT, UPDATE, DELETE, TRUNCATE or TRIGGER on 1 relation(s): shop.orders',
        },
      ]);
    });

    it('reports a role that owns a schema, naming the schema', async () => {
      await pg.createRole('schema_owner', { password: ROLE_PASSWORD });
      await pg.query('CREATE SCHEMA owned_schema AUTHORIZATION schema_owner');
      const caps = beyondPublicDefault(await capabilitiesOf(roleUrl('schema_owner')));
      expect(caps.map((cap) => cap.kind)).toEqual(['schema_create', 'ownership']);
      for (const cap of caps) expect(cap.detail).toContain('owned_schema');
    });

    it('reports CREATEDB', async () => {
      await pg.createRole('db_maker', { password: ROLE_PASSWORD });
      await pg.query('ALTER ROLE db_maker CREATEDB');
      const caps = beyondPublicDefault(await capabilitiesOf(roleUrl('db_maker')));
      expect(caps).toEqual([
        { kind: 'createdb', detail: 'CREATEDB (held by db_maker): can create databases' },
      ]);
    });
  });

  describe('the governor role from sql/roles/governor-role.sql', () => {
    it('can signal backends and write nothing', async () => {
      await createDatabase(pg, 'governor_check');
      await withClient(pg.url('governor_check'), (c) =>
        c.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC'),
      );
      await expect(capabilitiesOf(governorUrl('governor_check'))).resolves.toEqual([]);
      const info = await withClient(governorUrl('governor_check'), (client) => inspectServer(client));
      expect(info).toMatchObject({ canSignalBackends: true, canReadAllStats: true, isSuperuser: false });
    });

    it('connects to a full server through the reserved slots (PostgreSQL 16+: pg_use_reserved_connections)', async () => {
      const members = await pg.query<{ role: string }>(
        `SELECT b.rolname AS role FROM pg_auth_members m
           JOIN pg_roles b ON b.oid = m.roleid JOIN pg_roles r ON r.oid = m.member
          WHERE r.rolname = 'pgg_governor' AND b.rolname = 'pg_use_reserved_connections'`,
      );
      if (major < 16) {
        // The role does not exist before 16: the script grants nothing, and says nothing.
        expect(members).toEqual([]);
        return;
      }
      expect(members).toEqual([{ role: 'pg_use_reserved_connections' }]);
      await pg.createRole('filler', { password: ROLE_PASSWORD });
      const fillers: Client[] = [];
      try {
        // Take every ordinary slot.
        for (;;) {
          const filler = new Client({ connectionString: roleUrl('filler') });
          filler.on('error', () => undefined);
          try {
            await filler.connect();
          } catch (error) {
            expect((error as { code?: string }).code).toBe('53300');
            break;
          }
          fillers.push(filler);
        }
        expect(fillers.length).toBeGreaterThan(0);
        const who = await withClient(governorUrl(), (c) =>
          c.query<{ u: string }>('SELECT current_user AS u'),
        );
        expect(who.rows).toEqual([{ u: 'pgg_governor' }]);
      } finally {
        await Promise.all(fillers.map((f) => f.end().catch(() => undefined)));
      }
    });

    it("terminates another role's session from its read-only session, but not a superuser's", async () => {
      await pg.createRole('victim', { password: ROLE_PASSWORD });
      const victim = new Client({ connectionString: roleUrl('victim') });
      victim.on('error', () => undefined); // the termination we cause
      await victim.connect();
      const superuser = new Client({ connectionString: pg.superuserUrl });
      await superuser.connect();
      try {
        const victimPid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]
          ?.pid;
        const superPid = (await superuser.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]
          ?.pid;
        await withClient(governorUrl(), async (governor) => {
          const { rows } = await governor.query('SELECT pg_terminate_backend($1) AS done', [victimPid]);
          expect(rows).toEqual([{ done: true }]);
          await expect(governor.query('SELECT pg_terminate_backend($1)', [superPid])).rejects.toMatchObject({
            code: '42501',
          });
        });
      } finally {
        await victim.end().catch(() => undefined);
        await superuser.end();
      }
    });
  });

  describe('inspectServer', () => {
    const reserved = major >= 16 ? 2 : 0;

    it('identifies the server and its connection budget', async () => {
      const info = await withClient(pg.superuserUrl, (client) => inspectServer(client));
      expect(info).toMatchObject({
        major,
        inRecovery: false,
        currentUser: 'postgres',
        database: 'postgres',
        maxConnections: MAX_CONNECTIONS,
        superuserReservedConnections: 3,
        reservedConnections: reserved,
        usableConnections: MAX_CONNECTIONS - 3 - reserved,
        isSuperuser: true,
        canSignalBackends: true,
        canReadAllStats: true,
        pgStatStatements: { usable: true },
      });
      expect(info.version).toMatch(new RegExp(`^${major}\\.\\d+$`));
      expect(Math.floor(info.versionNum / 10_000)).toBe(major);
    });

    it('tells what the monitor role may do', async () => {
      const info = await withClient(monitorUrl(), (client) => inspectServer(client));
      expect(info).toMatchObject({
        currentUser: 'pgg_monitor',
        isSuperuser: false,
        canSignalBackends: false,
        canReadAllStats: true,
        pgStatStatements: { usable: true },
      });
    });

    it('finds pg_stat_statements missing from a fresh database, and leaves the client usable', async () => {
      await createDatabase(pg, 'no_extension');
      await withClient(monitorUrl('no_extension'), async (client) => {
        const info = await inspectServer(client);
        expect(info.pgStatStatements.usable).toBe(false);
        expect(info.pgStatStatements.reason).toContain('not created in database "no_extension"');
        expect(info.pgStatStatements.reason).toContain('CREATE EXTENSION pg_stat_statements');
        await expect(client.query('SELECT 1 AS ok')).resolves.toMatchObject({ rows: [{ ok: 1 }] });
      });
    });
  });
});

const NEWEST_UNDER_TEST = majorsUnderTest().reduce((newest, major) => (major > newest ? major : newest));

describe(`PostgreSQL ${NEWEST_UNDER_TEST} without pg_stat_statements preloaded`, () => {
  let pg: TestPostgres;

  beforeAll(async () => {
    // The harness creates the extension, which works without the library: only reading it fails.
    pg = await startPostgres({ major: NEWEST_UNDER_TEST, settings: { shared_preload_libraries: '' } });
  });

  afterAll(async () => {
    await pg?.destroy();
  });

  it('asks for shared_preload_libraries', async () => {
    const info = await withClient(pg.superuserUrl, (client) => inspectServer(client));
    expect(info.pgStatStatements).toEqual({
      usable: false,
      reason: 'pg_stat_statements is not loaded: add it to shared_preload_libraries and restart the server',
    });
  });
});
