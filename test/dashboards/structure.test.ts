import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { dashboardFiles } from '../../backend/src/generate/dashboards';
import { staleFiles } from '../../backend/src/generate/generated-files';
import {
  PLUGIN_TYPE,
  PLUGIN_VARIABLE,
  PROMETHEUS_VARIABLE,
  SCHEMA_VERSION,
} from '../../backend/src/generate/dashboards/model';
import {
  annotationsOf,
  DashboardFile,
  importable,
  Json,
  Panel,
  panelsOf,
  provisioned,
  REPO_ROOT,
  variablesOf,
} from './dashboard-files';
import { exportedMetricNames } from './exported-metrics';

/**
 * The shipped dashboards as files: generated and in sync with their definitions, well formed for
 * Grafana 12, every data source a provisioned one or a variable, links that lead somewhere, and
 * PromQL that Prometheus' own parser (promtool) accepts over metrics the backend exports.
 */

const all = [...importable(), ...provisioned()];
const byFile = all.map((d) => [d.file, d] as const);

interface ProvisionedDataSource {
  name: string;
  uid: string;
  type: string;
}

function provisionedDataSources(): ProvisionedDataSource[] {
  const dir = path.join(REPO_ROOT, 'provisioning', 'datasources');
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .flatMap(
      (f) =>
        (parse(readFileSync(path.join(dir, f), 'utf8')) as { datasources: ProvisionedDataSource[] })
          .datasources,
    );
}

const REQUIRED_TITLES = [
  'Fleet overview',
  'Sessions & locks',
  'Query performance',
  'Vacuum & bloat',
  'Storage & indexes',
  'WAL, checkpoints & replication',
  'Governor',
  'PgBouncer',
  'Findings',
  'Task queue',
];

describe('generated files', () => {
  it('are what the definitions generate (run npm run dashboards:generate after a change)', () => {
    const stale = staleFiles(dashboardFiles(), REPO_ROOT);
    expect(stale).toEqual([]);
  });

  it('ship the required dashboards in both forms, each with a unique uid', () => {
    for (const set of [importable(), provisioned()]) {
      expect(set.map((d) => String(d.json.title).replace('PG Governor / ', '')).sort()).toEqual(
        [...REQUIRED_TITLES].sort(),
      );
      const uids = set.map((d) => d.json.uid);
      expect(new Set(uids).size).toBe(uids.length);
    }
    expect(importable().map((d) => path.basename(d.file))).toEqual(
      provisioned().map((d) => path.basename(d.file)),
    );
  });
});

describe.each(byFile)('%s', (_file, dashboard: DashboardFile) => {
  const json = dashboard.json;
  const panels = panelsOf(json);
  const variables = variablesOf(json);
  const text = JSON.stringify(json);

  it('has a uid, the current schema version, tags and unique panel ids', () => {
    expect(json.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(json.schemaVersion).toBe(SCHEMA_VERSION);
    expect(json.tags).toContain('pg-governor');
    const ids = panels.map((p) => p.id);
    expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('describes every panel and sets units on every graph and stat', () => {
    for (const panel of panels) {
      expect({ title: panel.title, description: (panel.description ?? '').length > 20 }).toEqual({
        title: panel.title,
        description: true,
      });
      if (panel.type === 'timeseries' || panel.type === 'stat') {
        const defaults = (panel.fieldConfig as { defaults: Json }).defaults;
        expect({ title: panel.title, unit: typeof defaults.unit }).toEqual({
          title: panel.title,
          unit: 'string',
        });
        expect((defaults.thresholds as { steps: unknown[] }).steps.length).toBeGreaterThan(0);
      }
    }
  });

  it('has the data source, target and database variables, chained through the backend', () => {
    expect(variables.map((v) => v.name)).toEqual(
      expect.arrayContaining([PLUGIN_VARIABLE, 'target', 'database']),
    );
    const target = variables.find((v) => v.name === 'target');
    const database = variables.find((v) => v.name === 'database');
    expect(target?.datasource).toEqual({ type: PLUGIN_TYPE, uid: `\${${PLUGIN_VARIABLE}}` });
    expect(target?.query).toMatchObject({ variable: 'targets' });
    expect(database?.query).toMatchObject({ variable: 'databases' });
    if (!target?.multi) expect(database?.query).toMatchObject({ target: '$target' });
  });

  it('refers only to its data source variables, which hold provisioned data sources or import inputs', () => {
    const allowed: Record<string, string> = {
      [PLUGIN_TYPE]: `\${${PLUGIN_VARIABLE}}`,
      prometheus: `\${${PROMETHEUS_VARIABLE}}`,
    };
    const refs = [
      ...panels.flatMap((p) => [p.datasource, ...(p.targets ?? []).map((t) => t.datasource)]),
      ...variables.filter((v) => v.type === 'query').map((v) => v.datasource),
      ...annotationsOf(json)
        .filter((a) => !a.builtIn)
        .map((a) => a.datasource),
    ] as { type: string; uid: string }[];
    for (const ref of refs) expect(ref.uid).toBe(allowed[ref.type]);
    const sources = provisionedDataSources();
    for (const variable of variables.filter((v) => v.type === 'datasource')) {
      const value = (variable.current as { value: string }).value;
      if (dashboard.form === 'provisioned') {
        expect(sources.filter((s) => s.uid === value && s.type === variable.query)).toHaveLength(1);
      } else {
        const inputs = (json.__inputs ?? []) as { name: string; pluginId: string }[];
        const input = /^\$\{(DS_\w+)\}$/.exec(value)?.[1];
        expect(inputs.find((i) => i.name === input)?.pluginId).toBe(variable.query);
      }
    }
    const usedVariables = new Set(refs.map((r) => r.uid.slice(2, -1)));
    for (const name of usedVariables) expect(variables.map((v) => v.name)).toContain(name);
  });

  it(
    dashboard.form === 'provisioned'
      ? 'has no ${DS_...} left'
      : 'declares every ${DS_...} it uses as an input',
    () => {
      const used = [...new Set([...text.matchAll(/\$\{(DS_\w+)\}/g)].map((m) => m[1]))];
      if (dashboard.form === 'provisioned') {
        expect(used).toEqual([]);
        expect(json.__inputs).toBeUndefined();
      } else {
        expect(used.sort()).toEqual(((json.__inputs ?? []) as { name: string }[]).map((i) => i.name).sort());
      }
    },
  );

  it('shows backend events as annotations on its time series', () => {
    const backend = annotationsOf(json).filter((a) => a.datasource.type === PLUGIN_TYPE);
    expect(backend.length).toBeGreaterThan(0);
    expect(backend.every((a) => a.enable === true && Array.isArray(a.target?.kinds))).toBe(true);
  });

  it('links to dashboards that exist, keeping time and variables', () => {
    const uids = new Set(all.map((d) => d.json.uid));
    const tags = new Set(all.flatMap((d) => d.json.tags as string[]));
    for (const link of json.links as Json[]) {
      expect(link).toMatchObject({ keepTime: true, includeVars: true });
      for (const tag of link.tags as string[]) expect(tags.has(tag)).toBe(true);
    }
    const urls = panels.flatMap((p: Panel) => (p.links ?? []).map((l) => l.url));
    for (const url of urls) {
      const uid = /^\/d\/([\w-]+)/.exec(url)?.[1];
      expect({ url, exists: uid !== undefined && uids.has(uid) }).toEqual({ url, exists: true });
      expect(url).toContain('${__url_time_range}');
      expect(url).toContain('${__all_variables}');
    }
  });
});

describe('Prometheus panels', () => {
  const promTargets = provisioned().flatMap((d) =>
    panelsOf(d.json)
      .filter((p) => p.datasource?.type === 'prometheus')
      .flatMap((p) =>
        (p.targets ?? []).map((t) => ({ dashboard: d.file, panel: p.title, expr: String(t.expr) })),
      ),
  );

  it('query metrics the backend exports', async () => {
    const exported = await exportedMetricNames();
    expect(promTargets.length).toBeGreaterThan(0);
    for (const { panel, expr } of promTargets) {
      const names = [...expr.matchAll(/\b(pgg?_\w+|pgbouncer_\w+)\b/g)].map((m) => m[1] as string);
      expect(names.length).toBeGreaterThan(0);
      expect({ panel, missing: names.filter((n) => !exported.has(n)) }).toEqual({ panel, missing: [] });
    }
  });

  it('parse with promtool (Grafana variables substituted)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pgg-dashboard-promql-'));
    try {
      const file = path.join(dir, 'panels.rules.yml');
      const rules = promTargets.map((t, i) => ({
        record: `pgg_dashboard_panel_${i}`,
        expr: t.expr.replace(/\$__rate_interval/g, '1m').replace(/\$target/g, 'main'),
      }));
      writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboards', rules }] }));
      const result = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      expect({
        status: result.status,
        output: result.status === 0 ? '' : result.stdout + result.stderr,
      }).toEqual({
        status: 0,
        output: '',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
