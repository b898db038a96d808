import { SCHEMA_PROBLEMS } from '../../catalog/collectors/schema-health';
import { CollectResult, Sample, SnapshotRow } from '../types';

/** A row of sql/collectors/schema-health.pg*.sql. */
export interface SchemaProblemRow {
  problem: string;
  datname: string;
  schemaname: string;
  relname: string;
  object_name: string;
  other_name: string | null;
  is_unique: boolean | null;
  backs_constraint: boolean | null;
  is_internal: boolean | null;
  constraint_name: string | null;
  size_bytes: number | null;
  definition: string | null;
  [key: string]: unknown;
}

/** Problem counts per kind (0 when none, so that a fix shows as a drop) and the rows as they are. */
export function deriveSchemaHealth(rows: SchemaProblemRow[], datname: string): CollectResult {
  const samples: Sample[] = SCHEMA_PROBLEMS.map((problem) => ({
    metric: 'pg_schema_problems',
    labels: { datname, problem },
    value: rows.filter((r) => r.problem === problem).length,
  }));
  const snapshot: SnapshotRow[] = rows.map((r) => ({
    problem: r.problem,
    datname: r.datname,
    schemaname: r.schemaname,
    relname: r.relname,
    object_name: r.object_name,
    other_name: r.other_name,
    is_unique: r.is_unique,
    backs_constraint: r.backs_constraint,
    is_internal: r.is_internal,
    constraint_name: r.constraint_name,
    size_bytes: r.size_bytes,
    definition: r.definition,
  }));
  return { samples, snapshots: [{ kind: 'schema_health', rows: snapshot }] };
}
