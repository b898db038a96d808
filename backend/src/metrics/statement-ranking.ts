import { Sample } from '../collectors/types';

/**
 * The statement families go to Prometheus per target as a bounded Top-K (metrics.statements_top_n),
 * as postgres_exporter's stat_statements collector limits its export: the store keeps the collector's
 * whole Top-N lists (by time, calls and blocks read), Prometheus gets the statements with the most
 * execution time, the collector's first ranking. Ties: more calls first, then database and query id,
 * so that the same observation always exports the same statements.
 */
export const STATEMENTS_COLLECTOR = 'statements';
const RANKED_BY = 'pg_statement_exec_time_seconds_total';
const TIE_BREAK = 'pg_statement_calls_total';
/** One statement in every statement family: its labels datname and queryid. */
export const statementKey = (labels: Record<string, string>): string =>
  `${labels.datname ?? ''}\u0000${labels.queryid ?? ''}`;

/**
 * Whether a sample of the statements collector is a statement's (per database and query id) rather
 * than one of the collector's totals (pg_statements_tracked, ...).
 */
export const isPerStatement = (sample: Sample): boolean =>
  sample.metric.startsWith('pg_statement_') && sample.labels.queryid !== undefined;

/** The keys (statementKey) of the topN statements of one observation's samples. */
export function topStatements(samples: readonly Sample[], topN: number): Set<string> {
  const time = new Map<string, number>();
  const calls = new Map<string, number>();
  for (const sample of samples) {
    // A value that is not a number ranks last (and the sort stays consistent).
    const value = Number.isFinite(sample.value) ? sample.value : -1;
    if (sample.metric === RANKED_BY) time.set(statementKey(sample.labels), value);
    else if (sample.metric === TIE_BREAK) calls.set(statementKey(sample.labels), value);
  }
  if (time.size <= topN) return new Set(time.keys());
  const ranked = [...time.entries()].sort(
    ([keyA, a], [keyB, b]) =>
      b - a || (calls.get(keyB) ?? 0) - (calls.get(keyA) ?? 0) || (keyA < keyB ? -1 : keyA > keyB ? 1 : 0),
  );
  return new Set(ranked.slice(0, topN).map(([key]) => key));
}
