import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { FastifyInstance } from 'fastify';
import { metricsRoutes } from '../../backend/src/api/routes/metrics';
import { ALL_COLLECTORS } from '../../backend/src/collectors';
import { LatestObservations } from '../../backend/src/collectors/latest-observations';
import { Sample } from '../../backend/src/collectors/types';
import { CatalogExporter } from '../../backend/src/metrics/exporter';
import { createMetrics } from '../../backend/src/metrics/registry';
import { eventually } from '../support/backend-process';
import { TestPrometheus } from '../alerts/prometheus-server';

/**
 * /metrics as the real Prometheus reads it: the route over the process registry and the catalog
 * exporter, with every catalog family filled for a fleet (50 targets, statements beyond the Top-K,
 * label values with quotes, backslashes, line feeds and non-ASCII text), scraped by the Prometheus
 * binary. Prometheus must take the whole text (up, every sample line) and give back the hostile
 * values as they were sanitized.
 */
jest.setTimeout(120_000);

const TARGETS = 50;
const STATEMENTS = 40;
const TOP_N = 15;
const HOSTILE = 'we"ird\\name\nwith ünïcode';
/** What sanitizeLabelValue makes of it (control characters become spaces). */
const HOSTILE_EXPORTED = 'we"ird\\name with ünïcode';

let dir: string;
let app: FastifyInstance;
let prometheus: TestPrometheus | undefined;
let exporter: CatalogExporter;
let text: string;

/** A sample of every family of a collector; statements' per-statement families for STATEMENTS statements. */
function samplesOf(labels: readonly string[], metric: string, statement: boolean, t: number): Sample[] {
  const make = (i: number): Sample => ({
    metric,
    labels: Object.fromEntries(
      labels.map((name) => [
        name,
        name === 'queryid' ? String(1000 + i) : i === 0 && t === 0 ? HOSTILE : `${name}-${i}`,
      ]),
    ),
    value: (i + 1) * (t + 1) + 0.5,
  });
  return statement ? Array.from({ length: STATEMENTS }, (_, i) => make(i)) : [make(0)];
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pgg-exposition-'));
  const ruleFile = path.join(dir, 'rules.yml');
  writeFileSync(ruleFile, 'groups: []\n');
  const { registry } = createMetrics({
    version: 'test',
    targets: () => [],
    memory: () => ({ limitBytes: 512 * 1024 * 1024, underPressure: false }),
  });
  const latest = new LatestObservations();
  exporter = new CatalogExporter(registry, ALL_COLLECTORS, latest, { statementsTopN: TOP_N });
  for (let t = 0; t < TARGETS; t++) {
    const target = t === 0 ? `fleet-"0"` : `fleet-${t}`;
    for (const collector of ALL_COLLECTORS) {
      const samples = collector.metrics.flatMap((m) =>
        samplesOf(m.labels, m.name, m.labels.includes('queryid'), t),
      );
      latest.record({
        target,
        collector: collector.name,
        loop: collector.loop,
        time: 1,
        samples,
        snapshots: [],
      });
    }
  }
  text = await exporter.text();
  app = Fastify();
  await app.register(metricsRoutes(registry, 'open', () => exporter.chunks()));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  prometheus = await TestPrometheus.start({ targets: [`127.0.0.1:${port}`], ruleFile, intervalS: 1 });
});

afterAll(async () => {
  await prometheus?.stop();
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sampleLines = (exposition: string) =>
  exposition.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;

it('is scraped whole by Prometheus: every sample line, the hostile label values intact', async () => {
  const served = await (
    await fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/metrics`)
  ).text();
  const scraped = await eventually(
    async () => {
      const [up] = (await prometheus?.query('up{job="pg-governor"}')) ?? [];
      const [samples] = (await prometheus?.query('scrape_samples_scraped{job="pg-governor"}')) ?? [];
      return up?.value[1] === '1' && samples ? Number(samples.value[1]) : undefined;
    },
    60_000,
    'a successful scrape',
  );
  // The catalog text is part of what was served, and Prometheus took every line of it (the
  // self-metrics change between two scrapes by a few lines: compare the catalog part exactly).
  expect(served).toContain(text);
  expect(scraped).toBeGreaterThan(sampleLines(text));
  expect(Math.abs(scraped - sampleLines(served))).toBeLessThan(50);

  const hostile = await prometheus?.query('pg_database_size_bytes{target="fleet-\\"0\\""}');
  expect(hostile?.map((s) => s.metric.datname)).toEqual([HOSTILE_EXPORTED]);
});

it('holds metrics.statements_top_n statements a target, the same ones in every statement family', async () => {
  const perTarget = await prometheus?.query('count by (target) (pg_statement_calls_total)');
  expect(perTarget).toHaveLength(TARGETS);
  expect(new Set(perTarget?.map((s) => s.value[1]))).toEqual(new Set([String(TOP_N)]));
  const mismatched = await prometheus?.query(
    'count(pg_statement_mean_time_seconds unless on (target, datname, queryid) pg_statement_calls_total)',
  );
  expect(mismatched).toEqual([]);
  // The most execution time: the statements with the highest values here.
  const chosen = await prometheus?.query('pg_statement_exec_time_seconds_total{target="fleet-7"}');
  expect(chosen?.map((s) => Number(s.metric.queryid)).sort()).toEqual(
    Array.from({ length: TOP_N }, (_, i) => 1000 + STATEMENTS - TOP_N + i),
  );
});
