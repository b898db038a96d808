import { qualified, quoteIdent } from '../quote';
import { Check, FindingDraft } from '../types';
import { bytes, count, num, percent, text } from './helpers';

/** PostgreSQL keeps at most 63 bytes of a name (NAMEDATALEN - 1). */
const MAX_NAME_BYTES = 63;

/** name + suffix within 63 bytes, name cut on a character boundary (a longer one would be truncated). */
export function withSuffix(name: string, suffix: string): string {
  const room = MAX_NAME_BYTES - Buffer.byteLength(suffix);
  const chars = Array.from(name);
  while (chars.length > 0 && Buffer.byteLength(chars.join('')) > room) chars.pop();
  return chars.join('') + suffix;
}

/** nested_view: views on a chain of views deeper than max_depth. */
export const nestedView: Check = ({ rows, params }) =>
  rows('nested_views')
    .filter((row) => (num(row, 'depth') ?? 0) > (params.max_depth as number))
    .map((row) => {
      const schema = text(row, 'schemaname') ?? '';
      const view = text(row, 'view_name') ?? '?';
      const depth = num(row, 'depth') ?? 0;
      const below = text(row, 'built_on');
      return {
        key: `${schema}.${view}`,
        object: { type: 'view', name: `${schema}.${view}`, database: text(row, 'datname') ?? null },
        severity: 'info',
        title: `View ${schema}.${view} is nested ${depth} levels deep`,
        detail: `It sits on a chain of ${depth} views${below ? ` (the next one down: ${below})` : ''}: every query on it expands all of them, plans slower and often keeps joins it does not need.`,
        evidence: [row],
        remediation: {
          statements: [],
          steps: [
            `Look at the plan of a typical query on it (EXPLAIN (SUMMARY) SELECT ... FROM ${qualified(schema, view)}): every table of every level shows, with the planning time.`,
            'Rewrite it on the tables directly with the joins its callers need (CREATE OR REPLACE VIEW keeps the views above it if its columns stay), or end the chain with a materialized view where slightly stale data will do.',
          ],
        },
      } satisfies FindingDraft;
    });

/** partial_index_candidate: single-column indexes whose column is mostly NULL (visible statistics only). */
export const partialIndexCandidate: Check = ({ rows, params }) => {
  const findings: FindingDraft[] = [];
  for (const row of rows('partial_index_candidates')) {
    // Hidden or missing statistics: not applicable, never guessed.
    if (row.statistics !== 'visible') continue;
    const nullFrac = num(row, 'null_frac');
    const rowsEstimate = num(row, 'reltuples') ?? 0;
    if (nullFrac === undefined || nullFrac < (params.min_null_frac as number)) continue;
    if (rowsEstimate < (params.min_rows as number)) continue;
    const schema = text(row, 'schemaname') ?? '';
    const table = text(row, 'relname') ?? '?';
    const index = text(row, 'indexrelname') ?? '?';
    const column = text(row, 'column_name') ?? '?';
    const size = num(row, 'size_bytes') ?? 0;
    const partial = withSuffix(index, '_partial');
    findings.push({
      key: `${schema}.${index}`,
      object: { type: 'index', name: `${schema}.${index}`, database: text(row, 'datname') ?? null },
      severity: 'info',
      title: `Index ${schema}.${index}: ${percent(nullFrac)} of ${table}.${column} is NULL`,
      detail: `About ${bytes(size * nullFrac)} of its ${bytes(size)} are entries for the ${count(rowsEstimate * nullFrac)} rows where ${column} is NULL, which searches on values never read: an index WHERE ${column} IS NOT NULL does the same work.`,
      evidence: [row],
      remediation: {
        statements: [
          `CREATE INDEX CONCURRENTLY ${quoteIdent(partial)} ON ${qualified(schema, table)} (${quoteIdent(column)}) WHERE ${quoteIdent(column)} IS NOT NULL;`,
          `DROP INDEX CONCURRENTLY ${qualified(schema, index)};`,
          `ALTER INDEX ${qualified(schema, partial)} RENAME TO ${quoteIdent(index)};`,
        ],
        steps: [
          `Keep the full index if statements look for the NULLs (WHERE ${column} IS NULL): pg_stat_statements shows them.`,
          'The new index is a plain B-tree: add the storage options or tablespace the old one had, if any. A failed CREATE INDEX CONCURRENTLY leaves an invalid index behind: drop it and retry.',
        ],
      },
    });
  }
  return findings;
};
