/* global process */
// Runs collectors the way the scheduler's LoopRunner does (backend/dist/scheduler/loop-runner.js):
// one connection per loop cycle, statement_timeout bounded by the loop's budget, collectors one
// after another through collectContext, skipped when primaryOnly on a standby or not enabled, and
// PgBouncer collectors left out (no PgBouncer in the benches). Defaults come from the real config.
import pg from 'pg';
import {
  sqlFile,
  queryFileFor,
  collectContext,
  loadConfig,
  ALL_COLLECTORS,
  cycleStatementTimeoutMs,
  inspectServer,
  rankingQueries,
} from './dist.mjs';

/** The backend's defaults (loops' budgets, top N, query text, statement_timeout): no file, no env. */
export const DEFAULTS = loadConfig({ env: {} }).config;

export const LOOPS = ['hot', 'workload', 'storage', 'hourly'];

/**
 * The server as the role of `url` sees it (ServerInfo: which collectors run depends on its
 * version and the role's privileges), on a connection of its own.
 */
export async function serverAt(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await inspectServer(client);
  } finally {
    await client.end();
  }
}

/** The collectors a loop runs on a server with this ServerInfo, in the scheduler's order. */
export function collectorsOf(loop, info) {
  return ALL_COLLECTORS.filter(
    (c) =>
      c.loop === loop &&
      c.source !== 'pgbouncer' &&
      !(c.primaryOnly && info.inRecovery) &&
      !(c.enabled && !c.enabled(info)),
  );
}

/** Every loop's collectors on this server: those the real backend runs (and reports success of). */
export const allCollectorsOf = (info) => LOOPS.flatMap((loop) => collectorsOf(loop, info));

/** The statement_timeout the scheduler sets for a loop's cycle. */
export async function setLoopTimeout(client, loop) {
  const timeout = cycleStatementTimeoutMs(DEFAULTS.loops[loop].budget_ms, DEFAULTS.defaults.connection);
  await client.query(sqlFile('target/loop-statement-timeout.sql'), [`${timeout}ms`]);
}

/**
 * One collector, once, in a fresh context whose deadline is the loop's budget from now.
 * `states` keeps each collector's state between cycles, as the scheduler does; `context` overrides
 * options of the collect context (e.g. sizeRankingIntervalMs: 0, a size ranking every cycle).
 */
export function collectOnce({ client, info, collector, states, context: overrides = {} }) {
  let state = states.get(collector.name);
  if (!state) states.set(collector.name, (state = new Map()));
  const now = Date.now();
  const context = collectContext({
    client,
    target: 'bench',
    server: info,
    state,
    topN: DEFAULTS.top_n,
    queryText: { maxLength: DEFAULTS.query_text.max_length, redact: DEFAULTS.query_text.redact_literals },
    now,
    deadline: now + DEFAULTS.loops[collector.loop].budget_ms,
    ...overrides,
  });
  return collector.collect(context);
}

/** A loop's cycle: every collector once, in order; ms per collector (a failure is reported, not thrown). */
export async function runLoop({ client, info, loop, states }) {
  await setLoopTimeout(client, loop);
  const perCollector = [];
  for (const collector of collectorsOf(loop, info)) {
    const start = process.hrtime.bigint();
    let error;
    let samples = 0;
    try {
      samples = (await collectOnce({ client, info, collector, states })).samples.length;
    } catch (e) {
      error = e.message;
    }
    perCollector.push({
      collector: collector.name,
      ms: Number(process.hrtime.bigint() - start) / 1e6,
      samples,
      error,
    });
  }
  return perCollector;
}

/**
 * The statements a collector sends (text and parameters), recorded from one real cycle, so that
 * the raw baseline runs exactly the same SQL with the same parameters. Each is named by its
 * sql/collectors file where the text matches one of the collector's queries.
 */
export async function recordStatements({ client, info, collector, states, context }) {
  const sent = [];
  const recorder = {
    query(text, values) {
      sent.push({ text, values });
      return client.query(text, values);
    },
  };
  await collectOnce({ client: recorder, info, collector, states, context });
  const files = new Map(
    collector.queries.flatMap((name) => {
      const file = queryFileFor(name, info.major);
      return file ? [[sqlFile(file), file]] : [];
    }),
  );
  return sent.map(({ text, values }) => ({ text, values, file: files.get(text) ?? '(inline SQL)' }));
}

/** How often the relations collector ranks relations and indexes by size: the default size_ranking.interval_s. */
export const SIZE_RANKING_MS = DEFAULTS.size_ranking.interval_s * 1000;

/**
 * The relations collector's size rankings (relation-ranking, relation-index-ranking), once, as it
 * sends them every SIZE_RANKING_MS: a storage cycle that ranks is the steady cycle plus these (the
 * cycles in between read the Top-N ranked last by oid).
 */
export async function runSizeRanking(client, info) {
  for (const { name, params } of rankingQueries(DEFAULTS.top_n))
    await client.query(sqlFile(queryFileFor(name, info.major)), params);
}
