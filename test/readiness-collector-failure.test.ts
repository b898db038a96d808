import { Client } from 'pg';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { BackendProcess, eventually, readyz } from './support/backend-process';
import { NEWEST_MAJOR, startPostgres, TestPostgres } from './support/postgres';
import { createDataDir } from './support/scratch-dir';
import { monitorUrl, prepareTarget } from './governor/governor-kit';

/**
 * The service against a target with a table held in ACCESS EXCLUSIVE mode and a custom metric whose
 * SQL fails: /readyz stays 200 (readiness is whether this process can serve), the failing collector
 * named in its `degraded` detail, a 0 in pgg_collector_success and a logged warning; the storage
 * collectors answer, the other table with its size.
 */
let pg: TestPostgres;
let holder: Client;
let backend: BackendProcess | undefined;

beforeAll(async () => {
  pg = await startPostgres({ major: NEWEST_MAJOR });
  await prepareTarget(pg);
  await pg.query('CREATE DATABASE history');
  for (const name of ['held', 'free']) {
    await pg.query(`CREATE TABLE ${name} (id int PRIMARY KEY, note text)`);
    await pg.query(`INSERT INTO ${name} SELECT g, md5(g::text) FROM generate_series(1, 2000) g`);
    await pg.query(`VACUUM ANALYZE ${name}`);
  }
  holder = new Client({ connectionString: pg.superuserUrl });
  holder.on('error', () => undefined);
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query('LOCK TABLE held IN ACCESS EXCLUSIVE MODE');
}, 60_000);

afterAll(async () => {
  await backend?.stop('SIGKILL');
  await holder?.end().catch(() => undefined);
  await pg?.destroy();
});

const metricLines = async (url: string, name: string) =>
  (await (await fetch(`${url}/metrics`)).text()).split('\n').filter((line) => line.startsWith(name));

it('stays ready with a failing collector and a locked table, and says so', async () => {
  const config = path.join(createDataDir(), 'pg-governor.yaml');
  writeFileSync(
    config,
    [
      'custom_metrics:',
      '  - name: broken',
      '    help: A query that always fails',
      '    sql: SELECT 1 / (random() * 0)::int AS count',
      '    value_columns: [count]',
      '    interval_s: 10',
    ].join('\n'),
  );
  const started = await BackendProcess.start({
    PGG_CONFIG: config,
    PGG_TARGET_URL: monitorUrl(pg),
    PGG_STORE_URL: pg.url('history'),
    PGG_DEFAULTS__CONNECTION__LOCK_TIMEOUT_MS: '1000',
  });
  backend = started.backend;
  const { url } = started;

  let last: unknown;
  const ready = await eventually(
    async () => {
      const r = await readyz(url);
      last = r;
      const degraded = (r.body as { degraded?: string[] }).degraded ?? [];
      return degraded.some((d) => d.includes('collector custom failing: custom metric broken'))
        ? r
        : undefined;
    },
    45_000,
    'the failing custom collector in /readyz',
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last: ${JSON.stringify(last)}\n${backend?.stdout.slice(-3000)}`);
  });
  expect(ready.status).toBe(200);
  expect(ready.body).toMatchObject({ status: 'ready', problems: [] });

  // The storage loop (run at start) answered despite the lock: both tables sized, no failure.
  const sizes = await eventually(
    async () => {
      const lines = await metricLines(url, 'pg_relation_size_bytes{');
      return lines.some((l) => l.includes('relname="free"')) ? lines : undefined;
    },
    45_000,
    'relation sizes on /metrics',
  );
  expect(sizes.some((l) => l.includes('relname="held"'))).toBe(true);
  const success = await metricLines(url, 'pgg_collector_success{');
  expect(success.find((l) => l.includes('collector="relations"'))).toMatch(/ 1$/);
  expect(success.find((l) => l.includes('collector="custom"'))).toMatch(/ 0$/);
  expect(backend.logLines().some((l) => l.msg === 'collector failed' && l.collector === 'custom')).toBe(true);
  expect(JSON.stringify((await readyz(url)).body)).not.toMatch(/relations/);
}, 120_000);
