import { AlertState, dedupeKey, dueSeverities, evaluateAlerts } from '../../alerts/evaluator';
import { Series } from '../../alerts/expr/vector';
import { FixtureCase, Severity, SEVERITIES } from '../../catalog/alerts/types';
import { EffectiveRule } from '../../alerts/rules';
import { WindowStore } from '../../alerts/windows';
import { caseMinutes, sampleAt } from './fixtures';

export interface ReplayedCheck {
  atMinute: number;
  expected: Severity[];
  /** Severities the backend evaluator has firing for the case's instance at that minute. */
  firing: Severity[];
  /** The measured value of the instance then (for the annotations), if any level held. */
  value?: number;
}

/**
 * Runs a fixture through the backend evaluator, one evaluation per minute as promtool does, and
 * reports what fires at each checked minute. Every level that holds long enough fires in a rule
 * file (one rule per severity); the backend keeps one instance at its highest severity, so the
 * lower firing levels are derived from the per-level holding times.
 */
export function replayCase(
  rule: EffectiveRule,
  fixture: FixtureCase,
  start = Date.UTC(2024, 0, 1),
): ReplayedCheck[] {
  const windows = new WindowStore([rule], { minSpacingMs: 0, maxSeriesPerTarget: 1000 });
  let state: AlertState = new Map();
  const results: ReplayedCheck[] = [];
  const end = caseMinutes(fixture);
  for (let minute = 0; minute <= end; minute++) {
    const now = start + minute * 60_000;
    const samples = new Map<string, Series[]>();
    for (const series of fixture.series) {
      const value = sampleAt(series, minute);
      if (value === undefined) continue;
      const list = samples.get(series.metric) ?? [];
      list.push({ labels: series.labels, value });
      samples.set(series.metric, list);
    }
    windows.record(samples, now);
    state = evaluateAlerts({ rules: [rule], samples, windows, state, now }).state;
    for (const check of fixture.checks.filter((c) => c.atMinute === minute)) {
      const instance = state.get(dedupeKey(rule, fixture.instance));
      const firing = instance ? dueSeverities(rule, instance.holdingSince, now) : [];
      results.push({
        atMinute: minute,
        expected: check.firing,
        firing: sortSeverities(firing),
        ...(instance ? { value: instance.value } : {}),
      });
    }
  }
  return results;
}

export const sortSeverities = (list: Severity[]) =>
  [...list].sort((a, b) => SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b));
