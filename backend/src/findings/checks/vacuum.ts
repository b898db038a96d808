import { SnapshotRow } from '../../collectors/types';
import { qualified } from '../quote';
import { Check, FindingDraft } from '../types';
import { bloatOf, bytes, count, duration, num, percent, text } from './helpers';

const tableOf = (row: SnapshotRow) => {
  const schema = text(row, 'schemaname') ?? '';
  const relation = text(row, 'relname') ?? '?';
  return { schema, relation, sql: qualified(schema, relation), shown: `${schema}.${relation}` };
};

/** dead_tuples: tables with many dead rows and no vacuum for a while. */
export const deadTuples: Check = ({ rows, params }) => {
  const findings: FindingDraft[] = [];
  for (const row of rows('vacuum')) {
    const dead = num(row, 'dead_tuples') ?? 0;
    const ratio = (num(row, 'dead_percent') ?? 0) / 100;
    // Never vacuumed counts as long ago.
    const since = num(row, 'since_vacuum_seconds') ?? Number.POSITIVE_INFINITY;
    if (dead < (params.min_dead_rows as number) || ratio < (params.min_dead_ratio as number)) continue;
    if (since < (params.min_since_vacuum_s as number)) continue;
    const table = tableOf(row);
    const when = Number.isFinite(since) ? `${duration(since)} ago` : 'never (since statistics began)';
    findings.push({
      object: { type: 'relation', name: table.shown, database: text(row, 'datname') ?? null },
      severity: 'warning',
      title: `${table.shown}: ${count(dead)} dead rows (${percent(ratio)}), last vacuum ${when}`,
      detail: `Dead rows make up ${percent(ratio)} of ${table.shown} and no vacuum has run on it since ${when}: autovacuum is not keeping up, is disabled on it, or is held off.`,
      evidence: [row],
      remediation: {
        statements: [`VACUUM (VERBOSE, ANALYZE) ${table.sql};`],
        steps: [
          'If VERBOSE reports many rows "dead but not yet removable", the transaction horizon is held back: fix that first (xmin_horizon finding).',
          'For a busy table, lower its autovacuum_vacuum_scale_factor (ALTER TABLE ... SET (autovacuum_vacuum_scale_factor = 0.02)) or raise autovacuum_vacuum_cost_limit.',
        ],
      },
    });
  }
  return findings;
};

/** table_bloat: the estimate of space beyond what the rows need. */
export const tableBloat: Check = ({ rows, params }) => {
  const findings: FindingDraft[] = [];
  for (const row of rows('table_bloat')) {
    const bloat = bloatOf(row, params);
    if (!bloat) continue;
    const table = tableOf(row);
    findings.push({
      object: { type: 'relation', name: table.shown, database: text(row, 'datname') ?? null },
      severity: bloat.severity,
      title: `${table.shown}: about ${bytes(bloat.bytes)} of bloat (${percent(bloat.ratio)})`,
      detail: `${table.shown} takes ${bytes(num(row, 'table_bytes') ?? 0)} where its rows need about ${bytes(num(row, 'expected_bytes') ?? 0)} (an estimate from pg_class and pg_stats).`,
      evidence: [row],
      remediation: {
        statements: [`VACUUM (VERBOSE, ANALYZE) ${table.sql};`],
        steps: [
          'A plain VACUUM makes the space reusable but rarely returns it. To shrink the table: pg_repack (online), or VACUUM FULL (ACCESS EXCLUSIVE lock for the whole rewrite) in a maintenance window.',
          'Then keep it from coming back: autovacuum tuned for this table, no long transactions holding the horizon.',
        ],
      },
    });
  }
  return findings;
};

/** stale_statistics: tables modified a lot since their last ANALYZE, or never analyzed. */
export const staleStatistics: Check = ({ rows, params }) => {
  const findings: FindingDraft[] = [];
  for (const row of rows('stale_statistics')) {
    const never = row.never_analyzed === true;
    const modified = num(row, 'n_mod_since_analyze') ?? 0;
    const ratio = num(row, 'modified_ratio');
    if (
      !never &&
      (modified < (params.min_modifications as number) ||
        (ratio !== undefined && ratio < (params.min_modified_ratio as number)))
    )
      continue;
    const table = tableOf(row);
    findings.push({
      object: { type: 'relation', name: table.shown, database: text(row, 'datname') ?? null },
      severity: 'info',
      title: never
        ? `${table.shown} has never been analyzed`
        : `${table.shown}: ${count(modified)} rows modified since its last ANALYZE${ratio === undefined ? '' : ` (${percent(ratio)})`}`,
      detail: `The planner estimates ${table.shown} from ${never ? 'no statistics at all' : 'statistics older than most of its changes'}: plans may be chosen for data that is no longer there.`,
      evidence: [row],
      remediation: {
        statements: [`ANALYZE (VERBOSE) ${table.sql};`],
        steps: [
          'For a bulk-loaded or fast-changing table, lower its autovacuum_analyze_scale_factor, or ANALYZE after each load.',
        ],
      },
    });
  }
  return findings;
};
