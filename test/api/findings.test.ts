import { Client } from 'pg';
import type { FindingsResponse, QueryResponse } from '../../backend/src/contract';
import { BackendProcess, eventually, targetsUp } from '../support/backend-process';
import { NEWEST_MAJOR, startPostgres, TestPostgres } from '../support/postgres';

/**
 * GET /api/v1/findings on the real service: a staged idle-in-transaction session becomes a finding
 * (threshold set through PGG_FINDINGS__...), with its evidence, SQL and remediation; the query API's
 * findings table and the annotations (kind finding) show it too. Bad requests get a 400 naming the
 * field; without a token, a 401.
 */
jest.setTimeout(120_000);

const READ = 'findings-read-token-0001';
const MONITOR_PASSWORD = 'monitor-pw-findings-api';

let pg: TestPostgres;
let backend: BackendProcess;
let url: string;
let idle: Client;

beforeAll(async () => {
  pg = await startPostgres({ major: NEWEST_MAJOR });
  await pg.createRole('pgg_monitor', { password: MONITOR_PASSWORD, grants: ['pg_monitor'] });
  await pg.query('CREATE DATABASE findings_store');
  ({ backend, url } = await BackendProcess.start({
    PGG_TARGET_URL: pg.url('postgres', 'pgg_monitor', MONITOR_PASSWORD),
    PGG_STORE_URL: pg.url('findings_store'),
    PGG_READ_TOKENS: READ,
    PGG_HTTP_HOST: '127.0.0.1',
    PGG_LOOPS__HOT__INTERVAL_S: '1',
    PGG_STORE__FLUSH_INTERVAL_MS: '200',
    PGG_FINDINGS__IDLE_IN_TRANSACTION__WARNING_S: '1',
  }));
  await targetsUp(url, 60_000);
  idle = new Client({ connectionString: pg.superuserUrl, application_name: 'forgot-to-commit' });
  idle.on('error', () => undefined);
  await idle.connect();
  await idle.query('BEGIN');
  await idle.query('SELECT 1');
});

afterAll(async () => {
  await idle?.end().catch(() => undefined);
  await backend?.stop('SIGKILL');
  await pg?.destroy();
});

async function get(path: string, token: string | null = READ): Promise<{ status: number; body: unknown }> {
  const response = await fetch(
    `${url}${path}`,
    token ? { headers: { authorization: `Bearer ${token}` } } : {},
  );
  return { status: response.status, body: await response.json() };
}

async function post(path: string, payload: unknown): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${READ}`, 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  expect(response.status).toBe(200);
  return response.json();
}

it('lists the staged finding with its evidence, SQL and remediation, and each kind’s check status', async () => {
  const body = await eventually(
    async () => {
      const { status, body } = await get('/api/v1/findings?kind=idle_in_transaction&minSeverity=warning');
      expect(status).toBe(200);
      const answer = body as FindingsResponse;
      return answer.findings.some((f) => f.title.includes('forgot-to-commit')) ? answer : undefined;
    },
    30_000,
    'the idle transaction as a finding',
  );
  // Alone on its store, the replica's memory is the whole fleet's.
  expect(body.scope).toBe('fleet');
  const finding = body.findings.find((f) => f.title.includes('forgot-to-commit'));
  expect(finding).toMatchObject({
    kind: 'idle_in_transaction',
    target: expect.any(String),
    state: 'open',
    severity: 'warning',
    object: { type: 'session', database: 'postgres' },
    runbook: 'docs/runbooks/findings/idle_in_transaction.md',
  });
  expect(finding?.evidence[0]).toMatchObject({
    application_name: 'forgot-to-commit',
    state: 'idle in transaction',
  });
  expect(finding?.sql.map((s) => s.file)).toEqual(['collectors/activity.pg14.sql']);
  expect(finding?.remediation.statements[0]).toMatch(
    /^SELECT pg_terminate_backend\(pid\) FROM pg_stat_activity WHERE pid = \d+/,
  );
  expect(Date.parse(finding?.firstSeen ?? '')).toBeLessThanOrEqual(Date.parse(finding?.lastSeen ?? ''));
  expect(body.checks).toEqual([
    expect.objectContaining({ kind: 'idle_in_transaction', state: 'ok', open: 1 }),
  ]);

  // Every kind has a status per target: none failed on a healthy server (some wait for their loop).
  const all = (await get('/api/v1/findings')).body as FindingsResponse;
  expect(all.checks.length).toBeGreaterThanOrEqual(18);
  expect(all.checks.filter((c) => c.state === 'failed')).toEqual([]);
});

it('shows findings in the query API’s findings table and as annotations', async () => {
  const now = Date.now();
  const answer = (await post('/api/v1/query', {
    range: { from: new Date(now - 3600_000).toISOString(), to: new Date(now).toISOString() },
    queries: [{ refId: 'F', kind: 'table', table: 'findings', filters: { kind: 'idle_in_transaction' } }],
  })) as QueryResponse;
  const frame =
    'frames' in (answer.results.F ?? {})
      ? (
          answer.results.F as {
            frames: { data: { values: unknown[][] }; schema: { fields: { name: string }[] } }[];
          }
        ).frames[0]
      : undefined;
  const names = frame?.schema.fields.map((f) => f.name) ?? [];
  expect(names.slice(0, 4)).toEqual(['target', 'severity', 'state', 'kind']);
  const titles = frame?.data.values[names.indexOf('title')] ?? [];
  expect(titles.some((t) => String(t).includes('forgot-to-commit'))).toBe(true);

  const annotations = await eventually(
    async () => {
      const { body } = await get(`/api/v1/annotations?from=${now - 3600_000}&to=${Date.now()}&kind=finding`);
      const list = body as { title: string; tags: string[] }[];
      return list.some((a) => a.title.includes('forgot-to-commit')) ? list : undefined;
    },
    15_000,
    'the finding as an annotation',
  );
  expect(annotations.find((a) => a.title.includes('forgot-to-commit'))?.tags).toEqual(
    expect.arrayContaining(['finding', 'new', 'idle_in_transaction', 'warning']),
  );
});

it.each([
  ['severity=urgent', 'severity=urgent', /^severity\[0\]: must be one of info, warning, critical/],
  ['minSeverity=high', 'minSeverity=high', /^minSeverity: must be one of info, warning, critical/],
  ['state=closed', 'state=closed', /^state\[0\]: must be one of open, resolved/],
  ['kind=nope', 'kind=nope', /^kind: unknown finding kind "nope" \(one of: xmin_horizon, /],
  ['kind=Not-A-Kind', 'kind=Not-A-Kind', /^kind\[0\]: /],
  ['limit=0', 'limit=0', /^limit: must be >= 1/],
  ['limit=many', 'limit=many', /^limit: must be an integer/],
  ['colour=red', 'colour=red', /^colour: unknown field/],
  ['target=<200 characters>', `target=${'x'.repeat(200)}`, /^target\[0\]: /],
])('answers GET /api/v1/findings?%s with a 400 naming the field', async (_label, query, message) => {
  const { status, body } = await get(`/api/v1/findings?${query}`);
  expect(status).toBe(400);
  expect((body as { message: string }).message).toMatch(message);
});

it('needs a read token', async () => {
  expect((await get('/api/v1/findings', null)).status).toBe(401);
});
