import { createHash } from 'node:crypto';
import { SharedTargetFindings } from '../store/target-findings';
import { FindingsView } from './findings';

/** A target's findings are published again after this long even when nothing but times changed. */
export const FINDINGS_REFRESH_MS = 60_000;

/**
 * The owned targets whose findings or check states changed since they were last published (their
 * times aside: lastSeen and lastRunAt move with every check run), or that were last published more
 * than a minute ago. commit() records them as published once the store took them; targets no
 * longer owned are forgotten, so that a target owned again is published at once.
 */
export function findingsToShare(
  findings: FindingsView,
  owned: ReadonlySet<string>,
  published: Map<string, { digest: string; at: number }>,
  now: number,
): { rows: SharedTargetFindings[]; commit: () => void } {
  const byTarget = new Map<string, SharedTargetFindings>();
  for (const target of owned) byTarget.set(target, { target, findings: [], checks: [] });
  for (const record of findings.findings()) byTarget.get(record.target)?.findings.push(record);
  for (const check of findings.checks()) byTarget.get(check.target)?.checks.push(check);
  for (const target of [...published.keys()]) if (!owned.has(target)) published.delete(target);

  const rows: SharedTargetFindings[] = [];
  const digests = new Map<string, string>();
  for (const row of byTarget.values()) {
    const digest = createHash('sha1')
      .update(
        JSON.stringify([
          row.findings.map((f) => ({ ...(f as object), lastSeen: undefined })),
          row.checks.map((c) => ({ ...(c as object), lastRunAt: undefined })),
        ]),
      )
      .digest('base64');
    const last = published.get(row.target);
    if (last && last.digest === digest && now - last.at < FINDINGS_REFRESH_MS) continue;
    rows.push(row);
    digests.set(row.target, digest);
  }
  return {
    rows,
    commit: () => {
      for (const [target, digest] of digests) published.set(target, { digest, at: now });
    },
  };
}
