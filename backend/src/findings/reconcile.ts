import { createHash } from 'node:crypto';
import { Severity } from '../config/alerts-schema';
import { SqlText } from '../contract/catalog';
import { FindingDraft, FindingRecord } from './types';

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export interface Transition {
  type: 'new' | 'escalated' | 'resolved';
  record: FindingRecord;
  previousSeverity?: Severity;
}

/** One object of one kind: what a finding's identity is across cycles. */
export function draftKey(draft: FindingDraft): string {
  const o = draft.object;
  return draft.key ?? [o.type, o.database ?? '', o.name].join('\u0001');
}

/**
 * A check's new verdict against the findings of its kind on its target: a draft for an open
 * finding updates it (last seen, severity, evidence), a new one opens, an open one without a draft
 * resolves. Resolved findings stay listed for resolvedKeepMs, then go. A finding that comes back
 * after resolving is a new one (new id, new first seen).
 */
export function reconcile(
  previous: readonly FindingRecord[],
  drafts: readonly FindingDraft[],
  context: {
    kind: string;
    target: string;
    now: number;
    sql: SqlText[];
    runbook: string;
    resolvedKeepMs: number;
  },
): { records: FindingRecord[]; transitions: Transition[] } {
  const { kind, target, now } = context;
  const open = new Map(previous.filter((r) => r.state === 'open').map((r) => [r.key, r]));
  const records: FindingRecord[] = [];
  const transitions: Transition[] = [];
  const seen = new Set<string>();
  for (const draft of drafts) {
    let key = draftKey(draft);
    for (let n = 2; seen.has(key); n++) key = `${draftKey(draft)}#${n}`;
    seen.add(key);
    const known = open.get(key);
    if (known) {
      open.delete(key);
      const record: FindingRecord = { ...known, ...draft, key, sql: context.sql, lastSeen: now };
      records.push(record);
      if (RANK[draft.severity] > RANK[known.severity])
        transitions.push({ type: 'escalated', record, previousSeverity: known.severity });
      continue;
    }
    const record: FindingRecord = {
      ...draft,
      id: createHash('sha256')
        .update(`${target}\u0000${kind}\u0000${key}\u0000${now}`)
        .digest('hex')
        .slice(0, 20),
      key,
      kind,
      target,
      state: 'open',
      firstSeen: now,
      lastSeen: now,
      sql: context.sql,
      runbook: context.runbook,
    };
    records.push(record);
    transitions.push({ type: 'new', record });
  }
  for (const gone of open.values()) {
    const record: FindingRecord = { ...gone, state: 'resolved', resolvedAt: now };
    records.push(record);
    transitions.push({ type: 'resolved', record });
  }
  for (const old of previous)
    if (old.state === 'resolved' && now - (old.resolvedAt ?? now) < context.resolvedKeepMs) records.push(old);
  return { records, transitions };
}
