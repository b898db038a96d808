import { FINDING_KINDS } from '../../../catalog/findings';
import { Sample, SnapshotRow } from '../../../collectors/types';
import { CounterIncrease, FindingDraft } from '../../types';
import { CHECKS } from '..';

/** Unit tests only: what a check reads, made by hand (the engine builds it from observations). */
export interface CheckRun {
  /** findings.<kind>.<param> overrides: the kind's defaults otherwise. */
  params?: Record<string, number>;
  samples?: Sample[];
  /** The counter increases increase(metric) returns, by metric. */
  increases?: Record<string, CounterIncrease[]>;
  now?: number;
}

/** A kind's check on snapshot rows by kind, with the kind's default thresholds unless overridden. */
export function runCheck(
  kind: string,
  snapshots: Record<string, SnapshotRow[]>,
  options: CheckRun = {},
): FindingDraft[] {
  const defaults = Object.fromEntries(
    Object.entries(FINDING_KINDS.find((k) => k.id === kind)?.params ?? {}).map(([n, p]) => [
      n,
      Number(p.default),
    ]),
  );
  return (
    CHECKS[kind]?.({
      target: 't',
      now: options.now ?? Date.UTC(2030, 0, 1),
      params: { ...defaults, ...options.params },
      rows: (k) => snapshots[k] ?? [],
      samples: (metric) => (options.samples ?? []).filter((s) => s.metric === metric),
      increase: (metric) => options.increases?.[metric] ?? [],
    }) ?? []
  );
}
