import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import webpack from 'webpack';
import type { CatalogMetric, CatalogResponse } from '../../backend/src/contract/catalog';
import { BackendProcess, eventually } from '../support/backend-process';
import { startPostgres, TestPostgres } from '../support/postgres';
import { PageServer } from './page-server';

/**
 * The built plugin (plugin/dist/module.js) in Debian's Chromium: a local page provides what
 * Grafana provides (React, @grafana/*, the theme, BackendSrv) and a proxy route to a real backend
 * watching a real PostgreSQL. The test configures nothing by hand: it picks a metric in the query
 * editor, opens the SQL section, runs the query and checks the frames; screenshots of both
 * editors go to test-artifacts/ (or, for `npm run screenshots`, to the plugin's catalog images).
 */
const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
// Test artefacts are written beside the repository (gitignored), not in a scratch folder: CI keeps them.
const HARNESS_DIR = path.join(ARTIFACTS, 'plugin-harness');
const DIST = path.join(ROOT, 'plugin', 'dist');
const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'browser-test-read-token-0123456789';
const MONITOR_PASSWORD = 'monitor-pw-browser';
// `npm run screenshots` sets this to plugin/src/img/screenshots: the editors as the catalog shows them.
const SCREENSHOTS = process.env.PGG_SCREENSHOTS_DIR;
const screenshot = (editor: 'config-editor' | 'query-editor') =>
  SCREENSHOTS ? path.resolve(SCREENSHOTS, `${editor}.png`) : path.join(ARTIFACTS, `plugin-${editor}.png`);

interface PageResult {
  errors: Array<{ refId?: string; message?: string }>;
  frames: Array<{
    refId: string;
    length: number;
    fields: Array<{
      name: string;
      type: string;
      unit?: string;
      labels?: Record<string, string>;
      displayName: string;
    }>;
  }>;
}

let pg: TestPostgres;
let backend: BackendProcess;
let backendUrl: string;
let server: PageServer;
let browser: Browser;
let page: Page;
let metric: CatalogMetric;

async function api<T>(pathname: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${backendUrl}${pathname}`, {
    ...init,
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
  });
  if (!response.ok) throw new Error(`${pathname}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

function buildHarness(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS webpack config shared with plugin/
  const config = require(path.join(ROOT, 'plugin', 'test', 'browser-harness', 'webpack.config.js')) as (
    out: string,
  ) => webpack.Configuration;
  return new Promise((resolve, reject) =>
    webpack(config(HARNESS_DIR), (error, stats) => {
      if (error) return reject(error);
      if (stats?.hasErrors()) return reject(new Error(stats.toString({ all: false, errors: true })));
      resolve();
    }),
  );
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const [started] = await Promise.all([
    (async () => {
      pg = await startPostgres();
      // The history store: a database of its own on the same server.
      await pg.query('CREATE DATABASE pgg_store');
      // The backend refuses a role that can write: a monitoring role, as sql/roles/ makes it.
      await pg.createRole('pgg_monitor', { password: MONITOR_PASSWORD, grants: ['pg_monitor'] });
      if (pg.major < 15) await pg.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
      return BackendProcess.start({
        PGG_TARGET_URL: pg.url('postgres', 'pgg_monitor', MONITOR_PASSWORD),
        PGG_STORE_URL: pg.url('pgg_store'),
        PGG_READ_TOKENS: TOKEN,
      });
    })(),
    buildHarness(),
  ]);
  ({ backend, url: backendUrl } = started);

  // A gauge the activity collector reports on every cycle, with data in the store before the page asks.
  const catalog = await api<CatalogResponse>('/api/v1/catalog');
  const gauges = catalog.metrics.filter((m) => m.type === 'gauge' && m.sql.length > 0);
  metric = gauges.find((m) => m.collector === 'activity') ?? (gauges[0] as CatalogMetric);
  await eventually(
    async () => {
      const now = Date.now();
      const body = await api<{
        results: Record<string, { frames?: Array<{ data: { values: unknown[][] } }> }>;
      }>('/api/v1/query', {
        method: 'POST',
        body: JSON.stringify({
          range: { from: now - 15 * 60_000, to: now },
          intervalMs: 1000,
          queries: [{ refId: 'A', kind: 'timeseries', metric: metric.name }],
        }),
      });
      if (body.results.A?.frames?.some((f) => (f.data.values[0]?.length ?? 0) > 0)) return true;
      throw new Error(`no points yet: ${JSON.stringify(body).slice(0, 300)}`);
    },
    60_000,
    `points of ${metric.name}`,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\nbackend log (tail):\n${backend.stdout.slice(-3000)}`);
  });

  server = new PageServer({ harnessDir: HARNESS_DIR, distDir: DIST, backendUrl, token: TOKEN });
  const base = await server.listen();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(base);
  await page.waitForFunction('window.pgg && (window.pgg.ready || window.pgg.error)', undefined, {
    timeout: 60_000,
  });
  const failed = await page.evaluate('window.pgg.error');
  if (failed) throw new Error(`the page did not start: ${String(failed)} ${pageErrors.join('; ')}`);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await backend?.stop('SIGKILL');
  await pg?.destroy();
});

it('mounts the ConfigEditor with the Grafana theme: backend URL, a configured token with reset', async () => {
  const config = page.locator('#config-editor');
  await config.getByText('Backend URL').waitFor();
  expect(await page.inputValue('#pgg-backend-url')).toBe('http://pg-governor:8765');
  expect(await page.inputValue('#pgg-api-token')).toBe('configured');
  await config.getByRole('button', { name: 'Reset' }).waitFor();
  await page.fill('#pgg-default-target', 'main');
  await page.locator('#pgg-default-target').blur();
  await config.screenshot({ path: screenshot('config-editor') });
});

it('picks a metric, shows its SQL, runs the query through the proxy route and gets frames', async () => {
  const editor = page.locator('#query-editor');
  await page.click('#pgg-metric');
  await page.keyboard.type(metric.name);
  // The menu is portalled to the end of the body, outside the editor.
  await page.getByText(metric.name, { exact: true }).first().waitFor();
  await page.keyboard.press('Enter');
  await page
    .locator('#query-model')
    .filter({ hasText: `"metric":"${metric.name}"` })
    .waitFor();

  await editor.getByText('SQL', { exact: true }).click();
  const sql = page.getByTestId('pgg-sql');
  await sql.waitFor();
  expect(await sql.textContent()).toMatch(/select/i);

  await page.click('#run-query');
  await page.waitForFunction('window.pgg.result || window.pgg.error', undefined, { timeout: 30_000 });
  const result = (await page.evaluate('window.pgg.result')) as PageResult;
  expect(result.errors).toEqual([]);
  expect(result.frames.length).toBeGreaterThan(0);
  for (const frame of result.frames) {
    expect(frame.refId).toBe('A');
    expect(frame.fields.map((f) => f.type)).toEqual(['time', 'number']);
    expect(frame.fields[1]?.unit).toBe(metric.unit);
    expect(frame.fields[1]?.labels?.target).toBe('main');
  }
  expect(result.frames.some((f) => f.length > 0)).toBe(true);
  await page.locator('#query-editor-ui').screenshot({ path: screenshot('query-editor') });

  // Every call went through the route, the token added on the server side only.
  const paths = server.proxied.map((r) => `${r.method} ${r.path.split('?')[0]}`);
  expect(paths).toEqual(expect.arrayContaining(['GET /api/v1/catalog', 'POST /api/v1/query']));
  expect(server.proxied.filter((r) => r.browserAuthorization !== undefined)).toEqual([]);
  expect(server.proxied.every((r) => r.status === 200)).toBe(true);
});
