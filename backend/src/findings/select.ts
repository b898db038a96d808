import { CheckStatus, FindingRecord } from './types';

export interface FindingsFilter {
  targets?: string[];
  kinds?: string[];
  severities?: FindingRecord['severity'][];
  state?: FindingRecord['state'][];
}

const RANK = { critical: 0, warning: 1, info: 2 };

/** The findings that pass the filter: open first, then the most severe, then the newest. */
export function selectFindings(
  records: Iterable<FindingRecord>,
  filter: FindingsFilter = {},
): FindingRecord[] {
  const out: FindingRecord[] = [];
  for (const r of records)
    if (
      (!filter.targets || filter.targets.includes(r.target)) &&
      (!filter.kinds || filter.kinds.includes(r.kind)) &&
      (!filter.severities || filter.severities.includes(r.severity)) &&
      (!filter.state || filter.state.includes(r.state))
    )
      out.push(r);
  return out.sort(
    (a, b) =>
      (a.state === b.state ? 0 : a.state === 'open' ? -1 : 1) ||
      RANK[a.severity] - RANK[b.severity] ||
      b.firstSeen - a.firstSeen ||
      a.id.localeCompare(b.id),
  );
}

/** The check states of the filter's targets and kinds, by target then in the given order. */
export function selectChecks(
  checks: Iterable<CheckStatus>,
  filter: Pick<FindingsFilter, 'targets' | 'kinds'> = {},
): CheckStatus[] {
  const out: CheckStatus[] = [];
  for (const c of checks)
    if (
      (!filter.targets || filter.targets.includes(c.target)) &&
      (!filter.kinds || filter.kinds.includes(c.kind))
    )
      out.push(c);
  return out;
}
