import type { DataFrameJSON } from '../../backend/src/contract/frames';
import type { QueryResponse } from '../../backend/src/contract/query';
import { grafanaIntervalMs } from '../../backend/src/generate/dashboards/grafana-interval';
import { PLUGIN_DATASOURCE_UID, PLUGIN_TYPE } from '../../backend/src/generate/dashboards/model';
import { startApiFixture, TARGET } from '../api/api-fixture';
import { call, servedApi } from '../api/api-server';
import { frameProblems } from '../api/frame-shape';
import {
  annotationsOf,
  DashboardFile,
  interpolate,
  leftoverVariables,
  Panel,
  panelsOf,
  provisioned,
  TemplateVariable,
  variablesOf,
} from './dashboard-files';

/**
 * Every query of every shipped dashboard, run against the real API over data the real collectors
 * took from a real PostgreSQL (and PgBouncer) with staged sessions, statements and events: the
 * request the plugin sends (template variables substituted with values the backend itself lists),
 * one per panel, as Grafana does. Prometheus panels are checked by the structure test (promtool).
 */
jest.setTimeout(120_000);

// The Task queue dashboard's custom metrics: the pack over the demo's queue.
const api = servedApi(() => startApiFixture({ taskQueuePack: true }), 180_000);
const dashboards = provisioned();

const range = () => ({ from: api.fixture.startedAt - 600_000, to: Date.now() + 1000 });
const isPlugin = (ds: { type: string } | undefined) => ds?.type === PLUGIN_TYPE;

/** What the plugin's variable support sends for a variable query: GET /variables/:name?target&database. */
async function variableValues(variable: TemplateVariable, scope: Record<string, string | string[]>) {
  // query.query is the editor's description ("databases of $target"): shown, never sent.
  const { query: _description, ...sent } = variable.query as Record<string, unknown>;
  const query = interpolate(sent, scope) as { variable: string; target?: string | string[] };
  expect(leftoverVariables(query)).toEqual([]);
  const params = new URLSearchParams();
  if (typeof query.target === 'string') params.set('target', query.target);
  const response = await call<{ text: string; value: string }[]>(api.base, {
    method: 'GET',
    url: `/api/v1/variables/${query.variable}?${params}`,
  });
  expect({ variable: variable.name, status: response.status }).toEqual({
    variable: variable.name,
    status: 200,
  });
  return response.body.map((v) => v.value);
}

/** The dashboard's variables resolved in order, as Grafana does (chained: database of $target). */
async function resolveVariables(
  dashboard: DashboardFile,
  databaseChoice: 'all' | 'one',
): Promise<Record<string, string | string[]>> {
  const scope: Record<string, string | string[]> = {};
  for (const variable of variablesOf(dashboard.json)) {
    if (variable.type === 'datasource') {
      scope[variable.name] = (variable.current as { value: string }).value;
      continue;
    }
    expect(isPlugin(variable.datasource)).toBe(true);
    const values = await variableValues(variable, scope);
    expect({ variable: variable.name, values: values.length > 0 }).toEqual({
      variable: variable.name,
      values: true,
    });
    if (variable.name === 'database' && databaseChoice === 'one') {
      scope[variable.name] = values.includes('postgres') ? 'postgres' : (values[0] as string);
    } else {
      scope[variable.name] = variable.multi ? values : (values[0] as string);
    }
  }
  return scope;
}

const MAX_DATA_POINTS = 1000;

async function runPanel(panel: Panel, scope: Record<string, string | string[]>): Promise<QueryResponse> {
  const queries = interpolate(panel.targets, scope) as object[];
  expect(leftoverVariables(queries)).toEqual([]);
  // What Grafana sends for the panel: its interval, never below the panel's Min interval.
  const span = range();
  const minInterval = typeof panel.interval === 'string' ? panel.interval : undefined;
  const intervalMs = grafanaIntervalMs(span.to - span.from, MAX_DATA_POINTS, minInterval);
  const response = await call<QueryResponse>(api.base, {
    method: 'POST',
    url: '/api/v1/query',
    payload: { range: span, intervalMs, maxDataPoints: MAX_DATA_POINTS, queries },
  });
  expect({
    panel: panel.title,
    status: response.status,
    body: response.status === 200 ? 'ok' : response.body,
  }).toEqual({ panel: panel.title, status: 200, body: 'ok' });
  return response.body;
}

const rowsOf = (frame: DataFrameJSON) => (frame.data.values[0] ?? []).length;

/** Panels that must show data with the staged workload (dashboard uid -> panel titles). */
const KEY_PANELS: Record<string, string[]> = {
  'pgg-fleet': ['Connection usage', 'Transactions / s', 'Oldest transaction', 'Alert transitions'],
  'pgg-sessions': [
    'Sessions by state',
    'Sessions idle in transaction',
    'Blocking',
    'Blocking chains',
    'Sessions',
  ],
  'pgg-queries': ['Top statements by total time', 'Calls by statement', 'Latency: mean and p95'],
  'pgg-vacuum': ['Dead tuples', '% dead', 'Vacuum and analyze freshness', 'Wraparound: XID and MXID'],
  'pgg-storage': ['Database size', 'Largest relations', 'Unused indexes', 'Partitioned tables'],
  'pgg-wal-replication': ['WAL rate', 'Checkpoints: timed and requested'],
  'pgg-governor': ['Connection usage', 'Intervention journal'],
  'pgg-pgbouncer': ['PgBouncer up', 'Clients: active and waiting', 'Pools', 'Pool math vs max_connections'],
  'pgg-task-queue': ['Stuck tasks', 'Oldest pending task', 'Past the cleanup window', 'Tasks by status'],
};

describe.each(dashboards.map((d) => [d.file, d] as const))('%s', (_file, dashboard) => {
  const uid = String(dashboard.json.uid);
  const panels = panelsOf(dashboard.json).filter((p) => isPlugin(p.datasource));

  it.each([['every database', 'all'] as const, ['one database', 'one'] as const])(
    'answers every backend query of every panel with well-formed frames (%s)',
    async (_label, choice) => {
      const scope = await resolveVariables(dashboard, choice);
      expect(scope.datasource).toBe(PLUGIN_DATASOURCE_UID);
      const empty: string[] = [];
      for (const panel of panels) {
        const response = await runPanel(panel, scope);
        const frames: DataFrameJSON[] = [];
        for (const target of panel.targets ?? []) {
          const result = response.results[String(target.refId)];
          expect({
            panel: panel.title,
            refId: target.refId,
            result: result && 'error' in result ? result : 'ok',
          }).toEqual({ panel: panel.title, refId: target.refId, result: 'ok' });
          if (result && 'frames' in result) frames.push(...result.frames);
        }
        for (const frame of frames)
          expect({ panel: panel.title, problems: frameProblems(frame) }).toEqual({
            panel: panel.title,
            problems: [],
          });
        const hasData = frames.some((f) => rowsOf(f) > 0);
        if (!hasData) empty.push(panel.title);
      }
      const key = KEY_PANELS[uid] ?? [];
      // With every database selected, each key panel shows the staged workload.
      if (choice === 'all') expect(key.filter((title) => empty.includes(title))).toEqual([]);
      console.log(
        `${uid} (${choice}): ${panels.length - empty.length}/${panels.length} backend panels with data; empty: ${empty.join(', ') || 'none'}`,
      );
    },
  );

  it('answers its annotation queries (backend events) for the dashboard variables', async () => {
    const scope = await resolveVariables(dashboard, 'all');
    const queries = annotationsOf(dashboard.json).filter((a) => isPlugin(a.datasource));
    expect(queries.length).toBeGreaterThan(0);
    for (const annotation of queries) {
      const target = interpolate(annotation.target, scope) as {
        kinds?: string[];
        target?: string | string[];
      };
      expect(leftoverVariables(target)).toEqual([]);
      const { from, to } = range();
      const params = new URLSearchParams({ from: String(from), to: String(to) });
      for (const kind of target.kinds ?? []) params.append('kind', kind);
      for (const t of [target.target ?? []].flat()) params.append('target', t);
      const response = await call<{ time: number; title: string; tags: string[] }[]>(api.base, {
        method: 'GET',
        url: `/api/v1/annotations?${params}`,
      });
      expect({ annotation: annotation.name, status: response.status }).toEqual({
        annotation: annotation.name,
        status: 200,
      });
      // The api.fixture staged interventions and an alert on the target: a dashboard showing them sees them.
      if (target.kinds?.some((k) => k === 'interventions' || k === 'alerts')) {
        expect(response.body.length).toBeGreaterThan(0);
        expect(response.body.every((a) => a.tags.includes(TARGET))).toBe(true);
      }
    }
  });
});
