import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { BackendProcess, eventually } from '../support/backend-process';
import { startPostgres, TestPostgres } from '../support/postgres';
import { metricNamesOfPromQL } from './promql-names';

/**
 * The shipped Grafana provisioning files, parsed as Grafana reads them and cross-checked: data
 * sources, the metrics each query reads (against a real backend's /metrics), routing of every
 * severity to a receiver, rule uids (unique, stable, within Grafana's 40 characters), the PagerDuty
 * key from the environment, grouping by alertname and target.
 */
const REPO = path.resolve(__dirname, '..', '..');
const PROVISIONING = path.join(REPO, 'provisioning');
const GENERATE = path.join(REPO, 'backend', 'dist', 'generate', 'cli', 'alerts.js');
const run = promisify(execFile);

interface Query {
  refId: string;
  datasourceUid: string;
  model: {
    refId: string;
    datasource: { type: string; uid: string };
    expr?: string;
    type?: string;
    expression?: string;
    conditions?: { evaluator: { type: string; params: number[] } }[];
  };
}
interface GrafanaRule {
  uid: string;
  title: string;
  condition: string;
  data: Query[];
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  noDataState: string;
  execErrState: string;
}
interface RuleGroup {
  orgId: number;
  name: string;
  folder: string;
  interval: string;
  rules: GrafanaRule[];
}
type Matcher = [string, string, string];
interface Route {
  receiver?: string;
  group_by?: string[];
  object_matchers?: Matcher[];
  continue?: boolean;
  routes?: Route[];
}
interface ContactPoint {
  orgId: number;
  name: string;
  receivers: { uid: string; type: string; settings: Record<string, string> }[];
}

const readYaml = <T>(file: string): T => parse(readFileSync(file, 'utf8')) as T;

function grafanaRulesOf(dir: string): GrafanaRule[] {
  const doc = readYaml<{ apiVersion: number; groups: RuleGroup[] }>(path.join(dir, 'alerting', 'rules.yaml'));
  return doc.groups.flatMap((g) => g.rules);
}

const rulesDoc = readYaml<{ apiVersion: number; groups: RuleGroup[] }>(
  path.join(PROVISIONING, 'alerting', 'rules.yaml'),
);
const rules = grafanaRulesOf(PROVISIONING);
const contactPoints = readYaml<{ apiVersion: number; contactPoints: ContactPoint[] }>(
  path.join(PROVISIONING, 'alerting', 'contact-points.yaml'),
).contactPoints;
const policyTree = readYaml<{ apiVersion: number; policies: Route[] }>(
  path.join(PROVISIONING, 'alerting', 'policies.yaml'),
).policies;
/** Every provisioned data source, whichever file declares it. */
const datasources = readdirSync(path.join(PROVISIONING, 'datasources'))
  .filter((f) => /\.ya?ml$/.test(f))
  .flatMap(
    (f) =>
      readYaml<{ datasources?: { uid: string; type: string; url?: string }[] }>(
        path.join(PROVISIONING, 'datasources', f),
      ).datasources ?? [],
  );

/** Grafana's (Alertmanager's) matcher semantics, enough for =, !=, =~ and !~. */
function matches(labels: Record<string, string>, [name, op, value]: Matcher): boolean {
  const actual = labels[name] ?? '';
  const regex = () => new RegExp(`^(?:${value})$`).test(actual);
  if (op === '=') return actual === value;
  if (op === '!=') return actual !== value;
  if (op === '=~') return regex();
  if (op === '!~') return !regex();
  throw new Error(`unknown matcher operator ${op}`);
}

/** The receivers a notification with these labels reaches (first matching child, more while `continue`). */
function receiversFor(route: Route, labels: Record<string, string>): string[] {
  const reached: string[] = [];
  let matchedChild = false;
  for (const child of route.routes ?? []) {
    if (!(child.object_matchers ?? []).every((m) => matches(labels, m))) continue;
    matchedChild = true;
    const inherited = { ...child, receiver: child.receiver ?? route.receiver };
    reached.push(...receiversFor(inherited, labels));
    if (!child.continue) break;
  }
  if (!matchedChild && route.receiver) reached.push(route.receiver);
  return reached;
}

describe('provisioning/alerting/rules.yaml', () => {
  it('is a Grafana provisioning file with rules in one folder, one group per category', () => {
    expect(rulesDoc.apiVersion).toBe(1);
    expect(rulesDoc.groups.length).toBeGreaterThan(5);
    for (const group of rulesDoc.groups) {
      expect(group.folder).toBe('PG Governor');
      expect(group.interval).toMatch(/^\d+[smh]$/);
      expect(group.rules.length).toBeGreaterThan(0);
    }
    expect(new Set(rulesDoc.groups.map((g) => g.name)).size).toBe(rulesDoc.groups.length);
  });

  it('gives every rule a unique, stable uid of at most 40 characters (Grafana’s limit) and a unique title', () => {
    const uids = rules.map((r) => r.uid);
    expect(new Set(uids).size).toBe(uids.length);
    const short: Record<string, string> = { info: 'info', warning: 'warn', critical: 'crit' };
    for (const rule of rules) {
      expect(rule.uid).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
      // Derived from the alert id and severity only, never from a threshold or an order.
      expect(rule.uid).toBe(
        `pgg-${(rule.labels.pgg_alert ?? '').replace(/_/g, '-')}-${short[rule.labels.severity ?? '']}`,
      );
    }
    const titles = rules.map((r) => r.title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it('queries only provisioned data sources (or Grafana’s expressions), A -> B -> C with C the condition', () => {
    const uids = new Set(datasources.map((d) => d.uid));
    expect(uids).toContain('pgg-prometheus');
    expect(datasources.find((d) => d.uid === 'pgg-prometheus')?.type).toBe('prometheus');
    for (const rule of rules) {
      expect(rule.data.map((q) => q.refId)).toEqual(['A', 'B', 'C']);
      expect(rule.condition).toBe('C');
      for (const query of rule.data) {
        expect(query.model.refId).toBe(query.refId);
        expect(query.model.datasource.uid).toBe(query.datasourceUid);
        if (query.datasourceUid !== '__expr__') expect(uids).toContain(query.datasourceUid);
      }
      const [a, b, c] = rule.data as [Query, Query, Query];
      expect(a.datasourceUid).toBe('pgg-prometheus');
      expect(a.model.expr?.length).toBeGreaterThan(0);
      expect(b.model).toMatchObject({ type: 'reduce', expression: 'A' });
      expect(c.model).toMatchObject({ type: 'threshold', expression: 'B' });
      expect(['gt', 'gte', 'lt', 'lte', 'eq']).toContain(c.model.conditions?.[0]?.evaluator.type);
      expect(c.model.conditions?.[0]?.evaluator.params).toHaveLength(1);
    }
  });

  it('labels every rule with a severity and the PagerDuty fields, annotates it for the person paged', () => {
    for (const rule of rules) {
      expect(['info', 'warning', 'critical']).toContain(rule.labels.severity);
      expect(rule.labels.pgg_alert).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(rule.labels.category?.length).toBeGreaterThan(0);
      expect(rule.labels.component?.length).toBeGreaterThan(0);
      for (const key of ['summary', 'description', 'runbook', 'dashboard'])
        expect(rule.annotations[key]?.length).toBeGreaterThan(0);
      expect(rule.for).toMatch(/^(\d+[smhd])+$/);
      expect(rule.execErrState).toBe('Error');
    }
  });
});

describe('provisioning/alerting/contact-points.yaml and policies.yaml', () => {
  const receivers = new Set(contactPoints.map((c) => c.name));

  it('takes the PagerDuty integration key from $PAGERDUTY_INTEGRATION_KEY, never a literal', () => {
    const pagerduty = contactPoints.flatMap((c) => c.receivers).filter((r) => r.type === 'pagerduty');
    expect(pagerduty.length).toBeGreaterThan(0);
    for (const receiver of pagerduty) {
      expect(receiver.settings.integrationKey).toBe('$PAGERDUTY_INTEGRATION_KEY');
      expect(receiver.settings.class).toContain('category');
      expect(receiver.settings.component).toContain('component');
    }
    const uids = contactPoints.flatMap((c) => c.receivers.map((r) => r.uid));
    expect(new Set(uids).size).toBe(uids.length);
    for (const uid of uids) expect(uid.length).toBeLessThanOrEqual(40);
  });

  it('groups by alertname and target and names only receivers that exist', () => {
    expect(policyTree).toHaveLength(1);
    const root = policyTree[0] as Route;
    expect(root.group_by).toEqual(expect.arrayContaining(['alertname', 'target']));
    const walk = (route: Route): string[] => [
      ...(route.receiver ? [route.receiver] : []),
      ...(route.routes ?? []).flatMap(walk),
    ];
    for (const name of walk(root)) expect(receivers).toContain(name);
  });

  it('routes every severity the rules use: critical and warning page PagerDuty, info only records', () => {
    const root = policyTree[0] as Route;
    const pagerdutyOf = (names: string[]) =>
      names.filter((n) =>
        contactPoints.find((c) => c.name === n)?.receivers.some((r) => r.type === 'pagerduty'),
      );
    for (const rule of rules) {
      const reached = receiversFor(root, { ...rule.labels, alertname: rule.title, target: 'db1' });
      expect(reached.length).toBeGreaterThan(0);
      for (const name of reached) expect(receivers).toContain(name);
      if (rule.labels.severity === 'info') expect(pagerdutyOf(reached)).toEqual([]);
      else expect(pagerdutyOf(reached)).toHaveLength(1);
    }
    const critical = receiversFor(root, { pgg_alert: 'x', severity: 'critical' });
    const warning = receiversFor(root, { pgg_alert: 'x', severity: 'warning' });
    expect(pagerdutyOf(critical)).not.toEqual(pagerdutyOf(warning));
  });
});

it('keeps rule uids when thresholds change (npm run alerts:generate from a config)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pgg-alerts-gen-'));
  try {
    const config = path.join(dir, 'config.yaml');
    writeFileSync(
      config,
      [
        'alerts:',
        '  rules:',
        '    connection_saturation: { warning: { threshold: 0.7, for_s: 60 }, critical: { threshold: 0.9, for_s: 30 } }',
        '    blocking_locks: { warning: { threshold: 10, for_s: 0 } }',
        '',
      ].join('\n'),
    );
    await run(process.execPath, [GENERATE, '--config', config, '--out', dir]);
    const regenerated = grafanaRulesOf(path.join(dir, 'provisioning'));
    expect(regenerated.map((r) => r.uid)).toEqual(rules.map((r) => r.uid));
    const saturation = regenerated.find((r) => r.uid === 'pgg-connection-saturation-warn');
    expect(saturation?.data[2]?.model.conditions?.[0]?.evaluator.params).toEqual([0.7]);
    expect(saturation?.for).toBe('1m');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const MONITOR_PASSWORD = 'monitor-pw-123';

/** The metric names are the contract: every family a rule reads is one a real backend exports. */
describe('the metrics the rules read', () => {
  let pg: TestPostgres;
  let backend: BackendProcess | undefined;
  let exported: Set<string>;

  beforeAll(async () => {
    pg = await startPostgres();
    await pg.createRole('pgg_monitor', { password: MONITOR_PASSWORD, grants: ['pg_monitor'] });
    const started = await BackendProcess.start({
      PGG_TARGET_URL: pg.url('postgres', 'pgg_monitor', MONITOR_PASSWORD),
    });
    backend = started.backend;
    // Families are registered at start; wait for the target so that its series are there too.
    const text = await eventually(
      async () => {
        const body = await (await fetch(`${started.url}/metrics`)).text();
        return /^pgg_target_up\{target="main"\} 1$/m.test(body) ? body : undefined;
      },
      60_000,
      'the target up in /metrics',
    );
    exported = new Set([...text.matchAll(/^# TYPE (\S+) \S+$/gm)].map((m) => m[1] as string));
  });

  afterAll(async () => {
    await backend?.stop('SIGKILL');
    await pg?.destroy();
  });

  it('finds the metric names in PromQL (sanity of the reader)', () => {
    expect(
      metricNamesOfPromQL(
        'max by (target) (rate(pg_a_total{x="y"}[5m])) / on (target) group_left label_replace(pg_b, "l", "pg_c", "", "") > 3',
      ),
    ).toEqual(['pg_a_total', 'pg_b']);
  });

  it('are all exported by the backend (Grafana rules and Prometheus rules alike)', () => {
    const promRules = readYaml<{ groups: { rules: { expr: string }[] }[] }>(
      path.join(REPO, 'prometheus', 'pg-governor.rules.yml'),
    ).groups.flatMap((g) => g.rules);
    const read = new Set([
      ...rules.flatMap((r) => metricNamesOfPromQL(r.data[0]?.model.expr ?? '')),
      ...promRules.flatMap((r) => metricNamesOfPromQL(r.expr)),
    ]);
    expect(read.size).toBeGreaterThan(20);
    expect(exported.size).toBeGreaterThan(50);
    expect([...read].filter((name) => !exported.has(name)).sort()).toEqual([]);
  });
});
