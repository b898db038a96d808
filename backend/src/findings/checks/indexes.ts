import { SnapshotRow } from '../../collectors/types';
import { qualified } from '../quote';
import { Check, FindingDraft } from '../types';
import { bloatOf, bytes, duration, num, percent, text } from './helpers';

const indexOf = (row: SnapshotRow, nameColumn: string) => {
  const schema = text(row, 'schemaname') ?? '';
  const index = text(row, nameColumn) ?? '?';
  return { sql: qualified(schema, index), shown: `${schema}.${index}` };
};

/** unused_index: big indexes no query used, once the statistics are old enough to tell. */
export const unusedIndex: Check = ({ rows, samples, params, now }) => {
  const database = samples('pg_unused_indexes')[0]?.labels.datname ?? null;
  const findings: FindingDraft[] = [];
  for (const row of rows('unused_indexes')) {
    // An invalid index is never scanned: the invalid_index finding says what it is.
    if (row.is_valid === false || !text(row, 'indexrelname')) continue;
    const size = num(row, 'size_bytes') ?? 0;
    if (size < (params.min_size_bytes as number)) continue;
    const reset = num(row, 'stats_reset');
    if (reset !== undefined && (now - reset) / 1000 < (params.min_stats_age_s as number)) continue;
    const index = indexOf(row, 'indexrelname');
    const since =
      reset === undefined
        ? 'since statistics began'
        : `in the ${duration((now - reset) / 1000)} since the statistics were reset`;
    findings.push({
      object: { type: 'index', name: index.shown, database },
      severity: 'info',
      title: `Index ${index.shown} (${bytes(size)}) has not been used ${since}`,
      detail:
        `No scan of ${index.shown} on ${text(row, 'schemaname')}.${text(row, 'relname')} ${since}. It may serve a replica, a rare report or a constraint to come: check before dropping. ${text(row, 'definition') ?? ''}`.trim(),
      evidence: [row],
      remediation: {
        statements: [`DROP INDEX CONCURRENTLY ${index.sql};`],
        steps: [
          'Check the index is unused on the replicas too (their statistics are their own) and by monthly jobs.',
          'Keep its definition (in evidence) to recreate it with CREATE INDEX CONCURRENTLY if needed.',
        ],
      },
    });
  }
  return findings;
};

const problems = (rows: SnapshotRow[], problem: string) => rows.filter((r) => r.problem === problem);

/** invalid_index: indexes left invalid by a failed concurrent build. */
export const invalidIndex: Check = ({ rows }) =>
  problems(rows('schema_health'), 'invalid_index').map((row) => {
    const index = indexOf(row, 'object_name');
    return {
      object: { type: 'index', name: index.shown, database: text(row, 'datname') ?? null },
      severity: 'warning',
      title: `Index ${index.shown} is invalid`,
      detail:
        `A CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY on ${text(row, 'schemaname')}.${text(row, 'relname')} failed and left ${index.shown} behind: written on every change, used by no query${row.is_unique === true ? ', and as a unique index it may still reject rows' : ''}. ${text(row, 'definition') ?? ''}`.trim(),
      evidence: [row],
      remediation: {
        statements: [`REINDEX INDEX CONCURRENTLY ${index.sql};`, `DROP INDEX CONCURRENTLY ${index.sql};`],
        steps: [
          'Rebuild it (REINDEX ... CONCURRENTLY) if it is needed, or drop it if a valid equivalent exists or it was a mistake.',
          'If the build failed on a unique violation, fix the duplicate rows first.',
        ],
      },
    } satisfies FindingDraft;
  });

/** duplicate_index: exact duplicates of another valid index of the same table. */
export const duplicateIndex: Check = ({ rows, params }) =>
  problems(rows('schema_health'), 'duplicate_index')
    .filter((row) => (num(row, 'size_bytes') ?? 0) >= (params.min_size_bytes as number))
    .map((row) => {
      const index = indexOf(row, 'object_name');
      const kept = text(row, 'other_name') ?? '?';
      const constraint = row.backs_constraint === true;
      return {
        object: { type: 'index', name: index.shown, database: text(row, 'datname') ?? null },
        severity: 'info',
        title: `Index ${index.shown} duplicates ${kept}`,
        detail:
          `${index.shown} (${bytes(num(row, 'size_bytes') ?? 0)}) has the same definition as ${kept} on ${text(row, 'schemaname')}.${text(row, 'relname')}: every write maintains both for nothing. ${text(row, 'definition') ?? ''}`.trim(),
        evidence: [row],
        remediation: {
          statements: constraint ? [] : [`DROP INDEX CONCURRENTLY ${index.sql};`],
          steps: constraint
            ? [
                `${index.shown} backs a constraint: drop the redundant constraint (ALTER TABLE ... DROP CONSTRAINT) rather than the index, after checking nothing references it.`,
              ]
            : [`Keep ${kept}; drop the duplicate.`],
        },
      } satisfies FindingDraft;
    });

/** index_bloat: the estimate of b-tree pages beyond what the entries need. */
export const indexBloat: Check = ({ rows, params }) => {
  const findings: FindingDraft[] = [];
  for (const row of rows('index_bloat')) {
    const bloat = bloatOf(row, params);
    if (!bloat) continue;
    const index = indexOf(row, 'indexrelname');
    findings.push({
      object: { type: 'index', name: index.shown, database: text(row, 'datname') ?? null },
      severity: bloat.severity,
      title: `Index ${index.shown}: about ${bytes(bloat.bytes)} of bloat (${percent(bloat.ratio)})`,
      detail: `${index.shown} on ${text(row, 'schemaname')}.${text(row, 'relname')} takes ${bytes(num(row, 'index_bytes') ?? 0)} where its entries need about ${bytes(num(row, 'expected_bytes') ?? 0)} at fillfactor ${num(row, 'fillfactor') ?? 90} (an estimate from pg_class and pg_stats).`,
      evidence: [row],
      remediation: {
        statements: [`REINDEX INDEX CONCURRENTLY ${index.sql};`],
        steps: [
          'REINDEX CONCURRENTLY builds a new copy beside the old one: it needs free disk for the index size again and waits for the transactions using the table. If it fails, drop the invalid index it leaves (named like the index with _ccnew).',
          'If the bloat comes back, vacuum does not keep up with the table or a long transaction holds the horizon (dead_tuples, xmin_horizon findings).',
        ],
      },
    });
  }
  return findings;
};
