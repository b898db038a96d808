import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { parse } from 'yaml';
import { BackendProcess, eventually } from '../support/backend-process';
import { startPgBouncer, TestPgBouncer } from '../support/pgbouncer';
import { startPostgres, TestPostgres } from '../support/postgres';
import { TestPrometheus } from './prometheus-server';

/**
 * The whole alerting path with real servers: PostgreSQL with a PgBouncer in front, the backend
 * watching both, a real Prometheus scraping the backend every second and evaluating the rules that
 * `alerts:generate --config` writes from the same configuration as the backend's. The test stages
 * connection saturation, a long (idle) transaction, a blocking chain and clients waiting in
 * PgBouncer; each rule's expression, as Prometheus evaluates it, returns the firing series, the rule
 * fires in Prometheus, and the backend's own /api/v1/alerts names the same alert and target.
 * Thresholds and `for` are lowered through the configuration so that it all happens in seconds.
 */
const REPO = path.resolve(__dirname, '..', '..');
const GENERATE = path.join(REPO, 'backend', 'dist', 'generate', 'cli', 'alerts.js');
const run = promisify(execFile);

const TARGET = 'e2e';
const MONITOR_PASSWORD = 'monitor-pw-123';
const BOUNCER_ADMIN = { name: 'pgb_admin', password: 'bouncer-admin-pw' };
const MAX_CONNECTIONS = 30;

/** The staged conditions, and the alert instance each must raise (warning level). */
const EXPECTED: { alertname: string; labels: Record<string, string> }[] = [
  { alertname: 'PgConnectionSaturation', labels: { target: TARGET } },
  { alertname: 'PgLongTransaction', labels: { target: TARGET, datname: 'postgres' } },
  { alertname: 'PgIdleInTransaction', labels: { target: TARGET, datname: 'postgres' } },
  { alertname: 'PgBlockingLocks', labels: { target: TARGET } },
  { alertname: 'PgBouncerClientsWaiting', labels: { target: TARGET, database: 'app' } },
];

/** Thresholds a test can reach in seconds; `for` kept above zero where the catalog has one. */
const ALERT_OVERRIDES = [
  'alerts:',
  '  evaluation_interval_s: 1',
  '  rules:',
  '    connection_saturation:',
  '      warning: { threshold: 0.6, for_s: 2 }',
  '      critical: { threshold: 0.99, for_s: 2 }',
  '    long_transaction:',
  '      warning: { threshold: 3, for_s: 0 }',
  '    idle_in_transaction:',
  '      warning: { threshold: 3, for_s: 0 }',
  '    blocking_locks:',
  '      warning: { threshold: 2, for_s: 0 }',
  '    pgbouncer_clients_waiting:',
  '      warning: { threshold: 0, for_s: 2 }',
];

interface PromRule {
  alert: string;
  expr: string;
  labels: Record<string, string>;
}

interface BackendAlert {
  alertname: string;
  state: string;
  severity: string;
  labels: Record<string, string>;
}

const sameInstance = (labels: Record<string, string>, expected: Record<string, string>) =>
  Object.entries(expected).every(([k, v]) => labels[k] === v);

describe('alerts end to end: PostgreSQL and PgBouncer -> backend -> Prometheus', () => {
  let pg: TestPostgres;
  let bouncer: TestPgBouncer;
  let backend: BackendProcess | undefined;
  let backendUrl: string;
  let prometheus: TestPrometheus | undefined;
  let dir: string;
  let rules: PromRule[];
  const clients: Client[] = [];
  const pending: Promise<unknown>[] = [];

  const warningExpr = (alertname: string): string => {
    const rule = rules.find((r) => r.alert === alertname && r.labels.severity === 'warning');
    if (!rule) throw new Error(`no warning rule ${alertname} in the generated rules`);
    return rule.expr;
  };

  async function connect(connectionString: string): Promise<Client> {
    const client = new Client({ connectionString });
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return client;
  }

  async function backendAlerts(): Promise<BackendAlert[]> {
    const body = (await (await fetch(`${backendUrl}/api/v1/alerts`)).json()) as { alerts: BackendAlert[] };
    return body.alerts;
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pgg-alerts-e2e-'));
    pg = await startPostgres({ maxConnections: MAX_CONNECTIONS });
    await pg.createRole('pgg_monitor', { password: MONITOR_PASSWORD, grants: ['pg_monitor'] });
    await pg.query('CREATE TABLE chain (id int)');
    const superuserPassword = decodeURIComponent(new URL(pg.superuserUrl).password);
    bouncer = await startPgBouncer({
      databases: { app: `host=127.0.0.1 port=${pg.port} dbname=postgres` },
      users: [BOUNCER_ADMIN, { name: 'postgres', password: superuserPassword }],
      settings: { pool_mode: 'transaction', default_pool_size: 1, stats_period: 1 },
    });

    const configFile = path.join(dir, 'pg-governor.yaml');
    writeFileSync(
      configFile,
      [
        'targets:',
        `  - name: ${TARGET}`,
        `    dsn: ${JSON.stringify(pg.url('postgres', 'pgg_monitor', MONITOR_PASSWORD))}`,
        `    pgbouncer: { dsn: ${JSON.stringify(bouncer.adminUrl)} }`,
        'loops:',
        '  hot: { interval_s: 1 }',
        ...ALERT_OVERRIDES,
        '',
      ].join('\n'),
    );
    // The rules Prometheus loads: generated from the very configuration the backend runs with.
    await run(process.execPath, [GENERATE, '--config', configFile, '--out', dir]);
    const ruleFile = path.join(dir, 'prometheus', 'pg-governor.rules.yml');
    rules = (parse(readFileSync(ruleFile, 'utf8')) as { groups: { rules: PromRule[] }[] }).groups.flatMap(
      (g) => g.rules,
    );

    const started = await BackendProcess.start({ PGG_CONFIG: configFile });
    backend = started.backend;
    backendUrl = started.url;
    prometheus = await TestPrometheus.start({
      targets: [new URL(backendUrl).host],
      ruleFile,
      intervalS: 1,
    });
    // Scraped, target up, the hot loop's and PgBouncer's families there.
    await eventually(
      async () => {
        const up = await prometheus?.query(`pgg_target_up{target="${TARGET}"} == 1`);
        const bouncerUp = await prometheus?.query(`pgbouncer_up{target="${TARGET}"} == 1`);
        const usage = await prometheus?.query(`pg_connection_usage_ratio{target="${TARGET}"}`);
        return up?.length && bouncerUp?.length && usage?.length ? true : undefined;
      },
      60_000,
      'Prometheus scraping the backend with the target and its PgBouncer up',
    );
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await Promise.allSettled(pending);
    await prometheus?.stop();
    await backend?.stop('SIGKILL');
    await bouncer?.destroy();
    await pg?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sees none of the staged alerts before the conditions exist', async () => {
    for (const { alertname } of EXPECTED) expect(await prometheus?.query(warningExpr(alertname))).toEqual([]);
    const active = await backendAlerts();
    expect(active.filter((a) => EXPECTED.some((e) => e.alertname === a.alertname))).toEqual([]);
  });

  describe('once the conditions are staged', () => {
    beforeAll(async () => {
      // A blocking chain whose root is idle in a transaction that stays open.
      const root = await connect(pg.superuserUrl);
      await root.query('BEGIN');
      await root.query('LOCK TABLE chain IN ACCESS EXCLUSIVE MODE');
      const waiter = await connect(pg.superuserUrl);
      pending.push(waiter.query('SELECT count(*) FROM chain').catch(() => undefined));
      // PgBouncer: pool_size 1; one client holds the server connection, the next one waits.
      const holder = await connect(
        bouncer.url('app', 'postgres', decodeURIComponent(new URL(pg.superuserUrl).password)),
      );
      pending.push(holder.query('SELECT pg_sleep(120)').catch(() => undefined));
      const queued = await connect(
        bouncer.url('app', 'postgres', decodeURIComponent(new URL(pg.superuserUrl).password)),
      );
      pending.push(queued.query('SELECT 1').catch(() => undefined));
      // Saturation: idle sessions up to ~80 % of the usable connections (max_connections - 3 reserved).
      const [row] = await pg.query<{ used: number; usable: number }>(
        `SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int AS used,
                current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int
                  - coalesce(current_setting('reserved_connections', true)::int, 0) AS usable`,
      );
      const idle = Math.ceil((row?.usable ?? 0) * 0.8) - (row?.used ?? 0);
      for (let i = 0; i < idle; i++) await connect(pg.superuserUrl);
    });

    it.each(EXPECTED.map((e) => [e.alertname, e] as const))(
      '%s: the rule’s expression returns the firing series, Prometheus fires it, the backend agrees',
      async (alertname, { labels }) => {
        const expr = warningExpr(alertname);
        const series = await eventually(
          async () => {
            const result = await prometheus?.query(expr);
            return result?.find((s) => sameInstance(s.metric, labels));
          },
          30_000,
          `${expr} returning ${JSON.stringify(labels)}`,
        ).catch(async (error: Error) => {
          // What Prometheus has of the families behind the expression, to tell a collector from a rule problem.
          const inputs = await prometheus?.query(expr.replace(/\s(>=|>|<=|<|==)\s\S+$/, ''));
          throw new Error(`${error.message}; without the threshold: ${JSON.stringify(inputs)}`);
        });
        expect(series.metric).toEqual(labels);

        const firing = await eventually(
          async () =>
            (await prometheus?.alerts())?.find(
              (a) =>
                a.labels.alertname === alertname &&
                a.labels.severity === 'warning' &&
                a.state === 'firing' &&
                sameInstance(a.labels, labels),
            ),
          30_000,
          `${alertname} firing in Prometheus`,
        );
        expect(firing.labels.pgg_alert).toMatch(/^[a-z_]+$/);

        const mine = await eventually(
          async () =>
            (await backendAlerts()).find(
              (a) => a.alertname === alertname && a.state === 'firing' && sameInstance(a.labels, labels),
            ),
          30_000,
          `${alertname} firing in the backend's /api/v1/alerts`,
        );
        expect(mine.labels).toMatchObject({ ...labels, alertname, pgg_alert: firing.labels.pgg_alert });
        expect(['warning', 'critical']).toContain(mine.severity);
      },
    );
  });
});
