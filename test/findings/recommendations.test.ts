import { Client } from 'pg';
import { connectionEncryptionCollector } from '../../backend/src/collectors/connection-encryption';
import { recommendationsCollector } from '../../backend/src/collectors/recommendations';
import { valueOf } from '../support/collect';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';
import { enableTls, tlsUrl } from '../support/tls';
import { createMonitorRole, FindingsKit, MONITOR, session, TARGET } from './findings-kit';

/**
 * The security and design recommendations and the connections without TLS, staged for real on a
 * server with TLS on: the collectors run as pg_monitor over TLS (so that their own connection is no
 * finding), a fresh server yields only what its version ships with (PUBLIC may create in schema
 * public before PostgreSQL 15), each condition staged is found with its evidence, and the
 * remediation statements, run as a DBA would, fix what they name. Names are made to break SQL.
 */
jest.setTimeout(180_000);

/** The kit, its collectors connecting with TLS. */
class TlsFindingsKit extends FindingsKit {
  override get monitorUrl(): string {
    return tlsUrl(super.monitorUrl);
  }
}

const KINDS = [
  'schema_create_for_public',
  'too_many_superusers',
  'security_definer_search_path',
  'nested_view',
  'partial_index_candidate',
  'unencrypted_connections',
];

describe.each(majorsUnderTest())('security and design recommendations, PostgreSQL %i', (major) => {
  let pg: TestPostgres;
  const sessions: Client[] = [];

  beforeAll(async () => {
    pg = await startPostgres({ major, settings: { autovacuum: 'off' } });
    await createMonitorRole(pg);
    await enableTls(pg);
  });

  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.end().catch(() => undefined)));
    await pg?.destroy();
  });

  const observe = (kit: FindingsKit) => kit.observe(recommendationsCollector, connectionEncryptionCollector);
  /** What the kit's last cycle of the collector published. */
  const latest = (kit: FindingsKit, collector: string) =>
    kit.latest.get(TARGET, collector) ?? { samples: [], snapshots: [] };
  const sample = (kit: FindingsKit, collector: string, metric: string, labels: Record<string, string> = {}) =>
    valueOf(latest(kit, collector), metric, labels);

  it('a fresh server: only what its version ships with, and every check runs', async () => {
    const kit = new TlsFindingsKit(pg);
    await observe(kit);
    const open = kit.engine.findings({ kinds: KINDS, state: ['open'] });
    // PostgreSQL 15 stopped granting CREATE on schema public to PUBLIC.
    expect(open.map((f) => [f.kind, f.object.name, f.severity])).toEqual(
      major < 15 ? [['schema_create_for_public', 'public', 'info']] : [],
    );
    expect(kit.engine.checks({ kinds: KINDS }).filter((c) => c.state !== 'ok')).toEqual([]);
    expect(sample(kit, 'recommendations', 'pg_superusers')).toBe(1);
    expect(sample(kit, 'recommendations', 'pg_schemas_public_create', { datname: 'postgres' })).toBe(
      major < 15 ? 1 : 0,
    );
    // The collectors' own connection is encrypted.
    expect(
      sample(kit, 'connection_encryption', 'pg_connections_ssl', { datname: 'postgres', ssl: 'true' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(kit, 'connection_encryption', 'pg_connections_unencrypted_tcp', { datname: 'postgres' }),
    ).toBe(0);
  });

  it('schema_create_for_public: a schema opened to PUBLIC, closed by the REVOKE it proposes', async () => {
    await pg.query('CREATE SCHEMA "a; drop table x"');
    await pg.query('GRANT CREATE ON SCHEMA "a; drop table x" TO PUBLIC');
    const kit = new TlsFindingsKit(pg);
    await observe(kit);
    const [finding] = kit.open('schema_create_for_public').filter((f) => f.object.name === 'a; drop table x');
    expect(finding).toMatchObject({ severity: 'info', object: { type: 'schema', database: 'postgres' } });
    expect(finding?.remediation.statements).toEqual([
      'REVOKE CREATE ON SCHEMA "a; drop table x" FROM PUBLIC;',
    ]);
    expect(finding?.evidence[0]).toMatchObject({ schemaname: 'a; drop table x', owner: 'postgres' });

    await kit.remediate(finding);
    await observe(kit);
    expect(kit.open('schema_create_for_public').map((f) => f.object.name)).not.toContain('a; drop table x');
    expect(kit.resolved('schema_create_for_public').map((f) => f.object.name)).toContain('a; drop table x');
  });

  it('too_many_superusers: ten login superusers, named in the evidence only', async () => {
    const extra = Array.from({ length: 9 }, (_, i) => `extra_admin_${i}`);
    for (const role of extra) await pg.createRole(role, { password: 'pw-not-used', superuser: true });
    // A superuser that cannot log in is not counted.
    await pg.query('CREATE ROLE nologin_admin SUPERUSER');
    const kit = new TlsFindingsKit(pg);
    await observe(kit);
    const [finding] = kit.open('too_many_superusers');
    expect(finding).toMatchObject({ severity: 'info', title: '10 roles can log in as superuser' });
    expect(finding?.evidence.map((r) => r.rolname).sort()).toEqual([...extra, 'postgres'].sort());
    expect(`${finding?.title} ${finding?.detail}`).not.toMatch(/extra_admin/);
    expect(sample(kit, 'recommendations', 'pg_superusers')).toBe(10);

    await pg.query(`ALTER ROLE ${extra[0]} NOSUPERUSER`);
    await observe(kit);
    expect(kit.open('too_many_superusers')).toEqual([]);
    for (const role of extra) await pg.query(`DROP ROLE ${role}`);
    await pg.query('DROP ROLE nologin_admin');
  });

  it('security_definer_search_path: found with its owner; the ALTER it proposes pins the path', async () => {
    await pg.query('CREATE SCHEMA "My Schema"');
    await pg.query(
      `CREATE FUNCTION "My Schema"."f; drop table x"(a integer, b text) RETURNS integer
         LANGUAGE sql SECURITY DEFINER AS 'SELECT 1'`,
    );
    await pg.query(`CREATE PROCEDURE public.tidy(x integer) LANGUAGE sql SECURITY DEFINER AS 'SELECT 1'`);
    // Safe ones: search_path pinned, or not SECURITY DEFINER.
    await pg.query(
      `CREATE FUNCTION public.safe() RETURNS integer LANGUAGE sql SECURITY DEFINER
         SET search_path = public, pg_temp AS 'SELECT 1'`,
    );
    await pg.query(`CREATE FUNCTION public.plain() RETURNS integer LANGUAGE sql AS 'SELECT 1'`);
    const kit = new TlsFindingsKit(pg);
    await observe(kit);
    const findings = kit.open('security_definer_search_path');
    expect(findings.map((f) => [f.object.name, f.severity]).sort()).toEqual([
      ['My Schema.f; drop table x(a integer, b text)', 'warning'],
      ['public.tidy(IN x integer)', 'warning'],
    ]);
    const fn = findings.find((f) => f.object.name.startsWith('My Schema'));
    expect(fn?.evidence[0]).toMatchObject({ owner: 'postgres', owner_is_superuser: true, kind: 'function' });
    expect(fn?.remediation.statements).toEqual([
      'ALTER FUNCTION "My Schema"."f; drop table x"(a integer, b text) SET search_path = "My Schema", pg_temp;',
    ]);

    for (const finding of findings) await kit.remediate(finding);
    const [config] = await pg.query<{ proconfig: string[] }>(
      `SELECT proconfig FROM pg_proc WHERE proname = 'f; drop table x'`,
    );
    expect(config?.proconfig).toEqual(['search_path="My Schema", pg_temp']);
    await observe(kit);
    expect(kit.open('security_definer_search_path')).toEqual([]);
  });

  it('nested_view: views four deep are found, three deep are not', async () => {
    await pg.query('CREATE TABLE base (id int, note text)');
    await pg.query('CREATE VIEW level1 AS SELECT * FROM base');
    await pg.query('CREATE VIEW level2 AS SELECT * FROM level1');
    await pg.query('CREATE VIEW level3 AS SELECT l2.* FROM level2 l2 JOIN level1 l1 USING (id)');
    await pg.query('CREATE VIEW "level 4" AS SELECT * FROM level3');
    await pg.query('CREATE MATERIALIZED VIEW stored AS SELECT * FROM "level 4"');
    // A view on a materialized view starts a new chain.
    await pg.query('CREATE VIEW on_stored AS SELECT * FROM stored');
    const kit = new TlsFindingsKit(pg);
    await observe(kit);
    const findings = kit.open('nested_view');
    expect(findings.map((f) => [f.object.name, f.severity])).toEqual([['public.level 4', 'info']]);
    expect(findings[0]?.evidence[0]).toMatchObject({ depth: 4, built_on: 'public.level3' });
    expect(sample(kit, 'recommendations', 'pg_views_nested_deep', { datname: 'postgres' })).toBe(1);
    const depths = Object.fromEntries(
      latest(kit, 'recommendations')
        .snapshots.find((s) => s.kind === 'nested_views')
        ?.rows.map((r) => [r.view_name, r.depth]) ?? [],
    );
    expect(depths).toEqual({ 'level 4': 4, level3: 3, level2: 2 });

    await pg.query('DROP MATERIALIZED VIEW stored CASCADE');
    await pg.query('CREATE OR REPLACE VIEW "level 4" AS SELECT * FROM base');
    await observe(kit);
    expect(kit.open('nested_view')).toEqual([]);
  });

  it('partial_index_candidate: a mostly NULL column the monitor may read; not applicable where it may not', async () => {
    await pg.query('CREATE TABLE events (id int, cancelled_at int, "Secret" int)');
    await pg.query(
      `INSERT INTO events SELECT g, CASE WHEN g % 10 = 0 THEN g END, CASE WHEN g % 10 = 0 THEN g END
         FROM generate_series(1, 120000) g`,
    );
    await pg.query('CREATE INDEX "events cancelled" ON events (cancelled_at)');
    await pg.query('CREATE INDEX events_secret ON events ("Secret")');
    await pg.query('CREATE INDEX events_id ON events (id)');
    await pg.query('ANALYZE events');
    // pg_stats shows a role only the columns it may read (docs/checks.md): the DBA grants one.
    await pg.query(`GRANT SELECT (id, cancelled_at) ON events TO ${MONITOR.user}`);
    const kit = new TlsFindingsKit(pg);
    await observe(kit);

    const findings = kit.open('partial_index_candidate');
    expect(findings.map((f) => [f.object.name, f.severity])).toEqual([['public.events cancelled', 'info']]);
    expect(findings[0]?.evidence[0]).toMatchObject({ column_name: 'cancelled_at', statistics: 'visible' });
    const rows =
      latest(kit, 'recommendations').snapshots.find((s) => s.kind === 'partial_index_candidates')?.rows ?? [];
    // Hidden: listed as not applicable, never guessed; id (no NULLs) is not listed at all.
    expect(rows.map((r) => [r.indexrelname, r.statistics, r.null_frac === null]).sort()).toEqual([
      ['events cancelled', 'visible', false],
      ['events_secret', 'hidden', true],
    ]);
    expect(sample(kit, 'recommendations', 'pg_indexes_partial_candidates', { datname: 'postgres' })).toBe(1);
    expect(findings[0]?.remediation.statements).toEqual([
      'CREATE INDEX CONCURRENTLY "events cancelled_partial" ON public.events (cancelled_at) WHERE cancelled_at IS NOT NULL;',
      'DROP INDEX CONCURRENTLY public."events cancelled";',
      'ALTER INDEX public."events cancelled_partial" RENAME TO "events cancelled";',
    ]);

    for (let i = 0; i < 3; i++) await kit.remediate(findings[0], i);
    const [index] = await pg.query<{ definition: string }>(
      `SELECT pg_get_indexdef('public."events cancelled"'::regclass) AS definition`,
    );
    expect(index?.definition).toMatch(/WHERE \(cancelled_at IS NOT NULL\)$/);
    await observe(kit);
    expect(kit.open('partial_index_candidate')).toEqual([]);
  });

  it('unencrypted_connections: a TCP session without TLS, found with who and from where; TLS ones are not', async () => {
    // The test servers listen on the loopback address only: what is found there is what a remote
    // client's session would give, once loopback ones are included.
    const kit = new TlsFindingsKit(pg, { unencrypted_connections: { include_loopback: true } });
    const byDefault = new TlsFindingsKit(pg);
    await session(pg, sessions, 'clear-text-app');
    const encrypted = new Client({ connectionString: tlsUrl(pg.superuserUrl), application_name: 'tls-app' });
    await encrypted.connect();
    sessions.push(encrypted);
    await observe(kit);
    await observe(byDefault);
    // By default a loopback session (a PgBouncer beside the database) is left out; the metric counts it.
    expect(byDefault.open('unencrypted_connections')).toEqual([]);
    expect(
      sample(byDefault, 'connection_encryption', 'pg_connections_unencrypted_tcp', { datname: 'postgres' }),
    ).toBe(1);

    const [finding] = kit.open('unencrypted_connections');
    expect(finding).toMatchObject({
      severity: 'info',
      object: { type: 'database', name: 'postgres' },
      title: '1 TCP connection to database postgres without TLS',
    });
    expect(finding?.evidence).toEqual([
      expect.objectContaining({
        datname: 'postgres',
        usename: 'postgres',
        application_name: 'clear-text-app',
        client_addr: '127.0.0.1',
        loopback: true,
        connections: 1,
      }),
    ]);
    expect(`${finding?.title} ${finding?.detail}`).not.toMatch(/clear-text-app|127\.0\.0\.1/);
    expect(
      sample(kit, 'connection_encryption', 'pg_connections_unencrypted_tcp', { datname: 'postgres' }),
    ).toBe(1);
    // The TLS session and the collectors' own connection.
    expect(
      sample(kit, 'connection_encryption', 'pg_connections_ssl', { datname: 'postgres', ssl: 'true' }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      sample(kit, 'connection_encryption', 'pg_connections_ssl', { datname: 'postgres', ssl: 'false' }),
    ).toBe(1);

    for (const s of sessions.splice(0)) await s.end();
    await observe(kit);
    expect(kit.open('unencrypted_connections')).toEqual([]);
    expect(kit.resolved('unencrypted_connections')).toHaveLength(1);
  });
});
