import { SnapshotRow } from '../collectors/types';
import { CheckStatus, Finding, FindingSeverity, FINDING_SEVERITIES } from '../contract/findings';
import { FindingsEngine } from '../findings/engine';
import { CheckStatus as EngineCheckStatus, FindingRecord } from '../findings/types';

/** What the API reads of the findings engine. */
export type FindingsView = Pick<FindingsEngine, 'findings' | 'checks'>;

const iso = (ms: number) => new Date(ms).toISOString();

/** A finding as GET /api/v1/findings answers it. */
export function toFinding(r: FindingRecord): Finding {
  return {
    id: r.id,
    kind: r.kind,
    target: r.target,
    object: { type: r.object.type, name: r.object.name, database: r.object.database ?? null },
    severity: r.severity,
    state: r.state,
    title: r.title,
    detail: r.detail,
    evidence: r.evidence,
    sql: r.sql,
    remediation: r.remediation,
    firstSeen: iso(r.firstSeen),
    lastSeen: iso(r.lastSeen),
    ...(r.resolvedAt !== undefined ? { resolvedAt: iso(r.resolvedAt) } : {}),
    runbook: r.runbook,
  };
}

export function toCheckStatus(s: EngineCheckStatus): CheckStatus {
  return {
    target: s.target,
    kind: s.kind,
    state: s.state,
    ...(s.error !== undefined ? { error: s.error } : {}),
    ...(s.lastRunAt !== undefined ? { lastRunAt: iso(s.lastRunAt) } : {}),
    open: s.open,
  };
}

/** A finding as a row of the query API's findings table (the target column comes first). */
export function findingRow(r: FindingRecord): SnapshotRow {
  const { statements, steps } = r.remediation;
  return {
    target: r.target,
    severity: r.severity,
    state: r.state,
    kind: r.kind,
    title: r.title,
    object_type: r.object.type,
    object: r.object.name,
    database: r.object.database ?? null,
    detail: r.detail,
    remediation: [...statements, ...steps].join('\n'),
    first_seen: r.firstSeen,
    last_seen: r.lastSeen,
    resolved_at: r.resolvedAt ?? null,
    id: r.id,
  };
}

/** Severities from the minimum up. */
export const atLeast = (min: FindingSeverity): FindingSeverity[] =>
  FINDING_SEVERITIES.slice(FINDING_SEVERITIES.indexOf(min));
