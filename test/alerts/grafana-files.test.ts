import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { CONFIGURABLE_ALERTS } from '../../backend/src/catalog/alerts';
import { bindMount, compose } from '../dashboards/compose-files';
import { Panel, provisioned } from '../dashboards/dashboard-files';
import { BackendProcess, eventually } from '../support/backend-process';
import { startPostgres, TestPostgres } from '../support/postgres';
import { metricNamesOfPromQL } from './promql-names';

/**
 * The shipped Grafana alerting files, parsed as Grafana reads them and cross-checked against the
 * format of Grafana 12.3's file provisioning (pkg/services/provisioning/alerting: AlertRuleGroupV1
 * names its folder by title, AlertRuleV1 has dashboardUid, panelId, noDataState, execErrState and
 * notification_settings) and against the other shipped files: data sources, the metrics each query
 * reads (against a real backend's /metrics), dashboards and panels the rules link, runbooks, rule
 * uids (unique, stable, within Grafana's 40 characters), the PagerDuty key from the environment.
 *
 * Two ways in: provisioning/ is what a user copies into an existing Grafana and must leave the
 * organisation's routing alone (every rule routes itself, no policy file); the compose stack also
 * mounts docker/grafana/alerting/policies.yaml, its own Grafana's policy tree.
 */
const REPO = path.resolve(__dirname, '..', '..');
const PROVISIONING = path.join(REPO, 'provisioning');
const COMPOSE_POLICIES = 'docker/grafana/alerting/policies.yaml';
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
interface NotificationSettings {
  receiver: string;
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
}
interface GrafanaRule {
  uid: string;
  title: string;
  condition: string;
  data: Query[];
  dashboardUid?: string;
  panelId?: number;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  noDataState: string;
  execErrState: string;
  notification_settings?: NotificationSettings;
}
interface RuleGroup {
  orgId: number;
  name: string;
  folder: string;
  interval: string;
  rules: GrafanaRule[];
}
interface Route {
  receiver?: string;
  group_by?: string[];
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
/** Every provisioned data source, whichever file declares it. */
const datasources = readdirSync(path.join(PROVISIONING, 'datasources'))
  .filter((f) => /\.ya?ml$/.test(f))
  .flatMap(
    (f) =>
      readYaml<{ datasources?: { uid: string; type: string; url?: string }[] }>(
        path.join(PROVISIONING, 'datasources', f),
      ).datasources ?? [],
  );
const alertOf = (rule: GrafanaRule) => CONFIGURABLE_ALERTS.find((a) => a.id === rule.labels.pgg_alert);
const contactPoint = (name: string | undefined) => contactPoints.find((c) => c.name === name);
const integrations = (name: string | undefined) => (contactPoint(name)?.receivers ?? []).map((r) => r.type);

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

  it('puts the rules and the dashboards in one folder: the same title, and no uid Grafana would add a second folder for', () => {
    // Grafana 12.3: rule groups name their folder by title only and are provisioned before the
    // dashboards, creating a missing folder with a generated uid; a provider with a folderUid then
    // creates another folder of the same title (allowed since 11.3). By title, both find one folder.
    const provider = readYaml<{ providers: Record<string, unknown>[] }>(
      path.join(PROVISIONING, 'dashboards', 'pg-governor.yaml'),
    ).providers;
    expect(provider).toHaveLength(1);
    expect(provider[0]?.folder).toBe(rulesDoc.groups[0]?.folder);
    expect(provider[0]).not.toHaveProperty('folderUid');
    for (const group of rulesDoc.groups)
      expect(Object.keys(group).sort()).toEqual(['folder', 'interval', 'name', 'orgId', 'rules']);
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

  it('labels every rule with a severity and the PagerDuty fields, annotates it with Grafana’s keys', () => {
    for (const rule of rules) {
      expect(['info', 'warning', 'critical']).toContain(rule.labels.severity);
      expect(rule.labels.pgg_alert).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(rule.labels.category?.length).toBeGreaterThan(0);
      expect(rule.labels.component?.length).toBeGreaterThan(0);
      expect(Object.keys(rule.annotations).sort()).toEqual([
        'dashboard_url',
        'description',
        'runbook_url',
        'summary',
      ]);
      expect(rule.for).toMatch(/^(\d+[smhd])+$/);
    }
  });

  it('says per rule what no data means, as the catalog does; only the dead-man fires on errors', () => {
    for (const rule of rules) {
      expect({ uid: rule.uid, noDataState: rule.noDataState }).toEqual({
        uid: rule.uid,
        noDataState: alertOf(rule)?.noData.state,
      });
      expect(rule.execErrState).toBe(rule.labels.pgg_alert === 'backend_down' ? 'Alerting' : 'Error');
    }
    const states = new Set(rules.map((r) => r.noDataState));
    expect([...states].sort()).toEqual(['Alerting', 'NoData', 'OK']);
    expect(rules.find((r) => r.uid === 'pgg-target-down-crit')?.noDataState).toBe('NoData');
  });

  it('links every rule to a panel of the provisioned dashboards that shows what it measures, as Grafana links rules', () => {
    const dashboards = provisioned();
    for (const rule of rules) {
      const dashboard = dashboards.find((d) => d.json.uid === rule.dashboardUid);
      const panel = (dashboard?.json.panels as Panel[] | undefined)?.find((p) => p.id === rule.panelId);
      expect({ uid: rule.uid, panel: panel?.title }).toEqual({ uid: rule.uid, panel: expect.any(String) });
      const read = JSON.stringify(panel?.targets ?? []);
      const names = [
        ...(alertOf(rule)?.shownBy ?? []),
        ...metricNamesOfPromQL(rule.data[0]?.model.expr ?? ''),
      ];
      expect({ uid: rule.uid, shows: names.some((n) => new RegExp(`\\b${n}\\b`).test(read)) }).toEqual({
        uid: rule.uid,
        shows: true,
      });
      // The same panel as an absolute link, on the alert's target where it has one.
      expect(rule.annotations.dashboard_url).toMatch(
        new RegExp(`^http://localhost:3000/d/${rule.dashboardUid}\\?.*viewPanel=panel-${rule.panelId}$`),
      );
      if (rule.labels.pgg_alert !== 'backend_down' && alertOf(rule)?.instanceLabels.includes('target'))
        expect(rule.annotations.dashboard_url).toContain('var-target={{ $labels.target }}');
    }
  });

  it('links every rule to its runbook, shipped in docs/runbooks with SQL to run', () => {
    for (const rule of rules) {
      const id = rule.labels.pgg_alert ?? '';
      expect(rule.annotations.runbook_url).toMatch(new RegExp(`^https://\\S+/docs/runbooks/${id}\\.md$`));
      const runbook = readFileSync(path.join(REPO, 'docs', 'runbooks', `${id}.md`), 'utf8');
      expect(runbook).toContain('## First checks');
      expect(runbook).toContain('## Remediation');
    }
    const withSql = readdirSync(path.join(REPO, 'docs', 'runbooks')).filter(
      (f) =>
        f.endsWith('.md') && readFileSync(path.join(REPO, 'docs', 'runbooks', f), 'utf8').includes('```sql'),
    );
    expect(withSql.length).toBeGreaterThan(25);
  });
});

describe('routing: every rule routes itself, the organisation’s policy tree stays as it is', () => {
  const receivers = new Set(contactPoints.map((c) => c.name));

  it('names a contact point of contact-points.yaml on every rule (Grafana’s notification_settings)', () => {
    for (const rule of rules) {
      const settings = rule.notification_settings;
      expect({ uid: rule.uid, receiver: settings?.receiver && receivers.has(settings.receiver) }).toEqual({
        uid: rule.uid,
        receiver: true,
      });
      // Grafana groups by grafana_folder and alertname whatever is set; target splits per server.
      expect(settings?.group_by).toEqual(expect.arrayContaining(['grafana_folder', 'alertname', 'target']));
      for (const key of ['group_wait', 'group_interval', 'repeat_interval'] as const)
        expect(settings?.[key]).toMatch(/^\d+[smh]$/);
    }
  });

  it('pages critical and warning (warning at low urgency), records every severity in the backend', () => {
    for (const rule of rules) {
      const name = rule.notification_settings?.receiver;
      const types = integrations(name);
      expect(types).toContain('webhook');
      const pagerduty = contactPoint(name)?.receivers.filter((r) => r.type === 'pagerduty') ?? [];
      if (rule.labels.severity === 'info') expect(pagerduty).toEqual([]);
      else expect(pagerduty).toHaveLength(1);
      if (rule.labels.severity === 'warning') expect(pagerduty[0]?.settings.severity).toBe('warning');
    }
    const critical = rules.find((r) => r.labels.severity === 'critical')?.notification_settings;
    const warning = rules.find((r) => r.labels.severity === 'warning')?.notification_settings;
    expect(critical?.receiver).not.toBe(warning?.receiver);
  });

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

  it('ships nothing under provisioning/ that replaces or resets notification policies', () => {
    const files = readdirSync(PROVISIONING, { recursive: true, encoding: 'utf8' }).filter((f) =>
      /\.(ya?ml|json)$/.test(f),
    );
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = readFileSync(path.join(PROVISIONING, file), 'utf8');
      const doc = (file.endsWith('.json') ? JSON.parse(text) : parse(text)) as Record<string, unknown>;
      expect({ file, keys: Object.keys(doc).filter((k) => /^(policies|resetPolicies)$/.test(k)) }).toEqual({
        file,
        keys: [],
      });
    }
    expect(readdirSync(path.join(PROVISIONING, 'alerting')).sort()).toEqual([
      'contact-points.yaml',
      'rules.yaml',
    ]);
  });

  it('pages about the backend itself in both rule sets: the dead-man, critical, to PagerDuty', () => {
    const grafana = rules.find((r) => r.uid === 'pgg-backend-down-crit');
    expect(grafana?.data[0]?.model.expr).toContain('absent(up{job="pg-governor"})');
    expect(grafana).toMatchObject({
      noDataState: 'Alerting',
      execErrState: 'Alerting',
      labels: { severity: 'critical' },
    });
    expect(integrations(grafana?.notification_settings?.receiver)).toContain('pagerduty');
    const prometheus = readYaml<{
      groups: { rules: { alert: string; expr: string; labels: Record<string, string> }[] }[];
    }>(path.join(REPO, 'prometheus', 'pg-governor.rules.yml')).groups.flatMap((g) => g.rules);
    const deadMan = prometheus.find((r) => r.alert === 'PgGovernorBackendDown');
    expect(deadMan?.labels.severity).toBe('critical');
    expect(deadMan?.expr).toContain('up{job="pg-governor"}');
    expect(deadMan?.expr).toContain('absent(up{job="pg-governor"})');
    // The job it watches is the one the example Prometheus configuration scrapes.
    const example = readYaml<{ scrape_configs: { job_name: string }[] }>(
      path.join(REPO, 'prometheus', 'prometheus.yml'),
    );
    expect(example.scrape_configs.map((c) => c.job_name)).toEqual(['pg-governor']);
  });
});

describe('the compose stack’s Grafana', () => {
  const grafana = compose().services.grafana;
  const mounts = (grafana?.volumes ?? []).map(bindMount).filter((m) => m !== undefined);
  const policies = readYaml<{ apiVersion: number; policies: Route[] }>(path.join(REPO, COMPOSE_POLICIES));

  it('mounts every file a user copies, and its own policy tree into the same alerting folder', () => {
    const alerting = mounts.filter((m) => m.container.startsWith('/etc/grafana/provisioning/alerting/'));
    expect(alerting.map((m) => m.host).sort()).toEqual(
      [
        ...readdirSync(path.join(PROVISIONING, 'alerting')).map((f) =>
          path.join('provisioning', 'alerting', f),
        ),
        path.normalize(COMPOSE_POLICIES),
      ].sort(),
    );
    for (const m of alerting) expect(path.basename(m.container)).toBe(path.basename(m.host));
    for (const dir of ['datasources', 'dashboards'])
      expect(mounts).toContainEqual({
        host: path.join('provisioning', dir),
        container: `/etc/grafana/provisioning/${dir}`,
      });
  });

  it('has a policy tree whose default route records in the backend and pages nobody', () => {
    expect(policies.apiVersion).toBe(1);
    expect(policies.policies).toHaveLength(1);
    const root = policies.policies[0] as Route;
    expect(root.receiver && contactPoint(root.receiver)).toBeDefined();
    expect(integrations(root.receiver)).toEqual(['webhook']);
    expect(root.group_by).toEqual(expect.arrayContaining(['alertname', 'grafana_folder']));
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
    // Prometheus' own series of the scrape (the dead-man reads it), not the backend's.
    read.delete('up');
    expect(read.size).toBeGreaterThan(20);
    expect(exported.size).toBeGreaterThan(50);
    expect([...read].filter((name) => !exported.has(name)).sort()).toEqual([]);
  });
});
