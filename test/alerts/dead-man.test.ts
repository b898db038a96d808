import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { freeLoopbackPort } from '../../backend/src/embedded/postgres-server';
import { BackendProcess, eventually } from '../support/backend-process';
import { startPostgres, TestPostgres } from '../support/postgres';
import { PromAlert, TestPrometheus } from './prometheus-server';

/**
 * The dead-man's switch with a real Prometheus scraping the real backend, on the rules that
 * `alerts:generate --config` writes, its `for` shortened through that configuration: the backend
 * killed, PgGovernorBackendDown fires within its `for` and a bounded wait, and the Grafana rule's
 * query, run against the same Prometheus, is below its threshold; the backend started again on
 * the same port, the alert resolves.
 */
const REPO = path.resolve(__dirname, '..', '..');
const GENERATE = path.join(REPO, 'backend', 'dist', 'generate', 'cli', 'alerts.js');
const run = promisify(execFile);

const MONITOR_PASSWORD = 'monitor-pw-123';
const FOR_S = 3;
/** Scrape and evaluation every second: a few intervals of slack beyond `for`. */
const BOUNDED_WAIT_MS = FOR_S * 1000 + 20_000;

interface GrafanaRule {
  uid: string;
  data: { refId: string; model: { expr?: string; conditions?: { evaluator: { params: number[] } }[] } }[];
}

describe('the dead-man alert: Prometheus pages when the backend dies', () => {
  let pg: TestPostgres;
  let dir: string;
  let port: number;
  let env: Record<string, string>;
  let backend: BackendProcess | undefined;
  let prometheus: TestPrometheus | undefined;
  let grafanaRule: GrafanaRule;

  const deadMan = async (state: PromAlert['state']) =>
    (await prometheus?.alerts())?.find(
      (a) => a.labels.alertname === 'PgGovernorBackendDown' && a.state === state,
    );

  const startBackend = async () => {
    backend = (await BackendProcess.start(env)).backend;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pgg-dead-man-'));
    pg = await startPostgres();
    await pg.createRole('pgg_monitor', { password: MONITOR_PASSWORD, grants: ['pg_monitor'] });
    await pg.query('CREATE DATABASE dead_man_store');
    const configFile = path.join(dir, 'pg-governor.yaml');
    writeFileSync(
      configFile,
      [
        'targets:',
        `  - name: dm`,
        `    dsn: ${JSON.stringify(pg.url('postgres', 'pgg_monitor', MONITOR_PASSWORD))}`,
        'alerts:',
        '  rules:',
        `    backend_down: { critical: { for_s: ${FOR_S} } }`,
        '',
      ].join('\n'),
    );
    await run(process.execPath, [GENERATE, '--config', configFile, '--out', dir]);
    const rulesYaml = parse(
      readFileSync(path.join(dir, 'provisioning', 'alerting', 'rules.yaml'), 'utf8'),
    ) as {
      groups: { rules: GrafanaRule[] }[];
    };
    grafanaRule = rulesYaml.groups
      .flatMap((g) => g.rules)
      .find((r) => r.uid === 'pgg-backend-down-crit') as GrafanaRule;

    // A fixed port: the backend started again must answer where Prometheus scrapes.
    port = await freeLoopbackPort();
    env = {
      PGG_CONFIG: configFile,
      PGG_HTTP_PORT: String(port),
      PGG_STORE_URL: pg.url('dead_man_store'),
    };
    await startBackend();
    prometheus = await TestPrometheus.start({
      targets: [`127.0.0.1:${port}`],
      ruleFile: path.join(dir, 'prometheus', 'pg-governor.rules.yml'),
      intervalS: 1,
    });
    await eventually(
      async () => ((await prometheus?.query('pgg_build_info{job="pg-governor"}'))?.length ? true : undefined),
      60_000,
      "Prometheus scraping the backend's own series",
    );
  });

  afterAll(async () => {
    await prometheus?.stop();
    await backend?.stop('SIGKILL');
    await pg?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates the rule with the configured `for`, and Grafana’s rule fires on no data and on errors', () => {
    const rules = (
      parse(readFileSync(path.join(dir, 'prometheus', 'pg-governor.rules.yml'), 'utf8')) as {
        groups: { rules: { alert: string; for: string }[] }[];
      }
    ).groups.flatMap((g) => g.rules);
    expect(rules.find((r) => r.alert === 'PgGovernorBackendDown')?.for).toBe(`${FOR_S}s`);
    expect(grafanaRule).toMatchObject({
      noDataState: 'Alerting',
      execErrState: 'Alerting',
      for: `${FOR_S}s`,
    });
  });

  it('is quiet while the backend is scraped', async () => {
    // Before Prometheus' first scrape the job has no `up` at all (absent): the alert may have gone
    // pending; the first evaluations after the scrape resolve it.
    await eventually(
      async () => ((await deadMan('firing')) || (await deadMan('pending')) ? undefined : true),
      BOUNDED_WAIT_MS,
      'PgGovernorBackendDown quiet',
    );
    await new Promise((r) => setTimeout(r, (FOR_S + 1) * 1000));
    expect(await deadMan('pending')).toBeUndefined();
    expect(await deadMan('firing')).toBeUndefined();
  });

  it('fires within its `for` (and a bounded wait) once the backend is killed', async () => {
    await backend?.stop('SIGKILL');
    const firing = await eventually(() => deadMan('firing'), BOUNDED_WAIT_MS, 'PgGovernorBackendDown firing');
    expect(firing.labels).toMatchObject({
      severity: 'critical',
      pgg_alert: 'backend_down',
      job: 'pg-governor',
      instance: `127.0.0.1:${port}`,
    });
    // The Grafana-managed rule's query A, on the same Prometheus, is below its threshold (C).
    const [a, , c] = grafanaRule.data;
    const series = await prometheus?.query(a?.model.expr ?? '');
    const threshold = c?.model.conditions?.[0]?.evaluator.params[0] ?? NaN;
    expect(series?.length).toBeGreaterThan(0);
    for (const s of series ?? []) expect(Number(s.value[1])).toBeLessThan(threshold);
  });

  it('resolves once the backend is back', async () => {
    await startBackend();
    await eventually(
      async () => ((await deadMan('firing')) || (await deadMan('pending')) ? undefined : true),
      BOUNDED_WAIT_MS,
      'PgGovernorBackendDown resolved',
    );
  });
});
