import { AlertState, evaluateAlerts } from '../evaluator';
import { Series } from '../expr/vector';
import { EffectiveRule, FixtureCase, Labels, Severity } from '../types';
import { WindowStore } from '../windows';
import { caseMinutes, sampleAt } from './fixtures';

export interface ReplayedCheck {
  atMinute: number;
  expected: Severity[];
  /** Severities the backend evaluator has firing for the case's instance at that minute. */
  firing: Severity[];
  /** The measured value of the instance then (for the annotations), if any level held. */
  value?: number;
}

const sameLabels = (a: Labels, b: Labels) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

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
  const windows = new WindowStore([rule], { minSpacingMs: 0, maxSeriesPerMetric: 1000 });
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
      const instance = [...state.values()].find((s) => sameLabels(s.instance, fixture.instance));
      const firing = instance
        ? (Object.entries(instance.holdingSince) as [Severity, number][])
            .filter(([severity, since]) => now - since >= (rule.levels[severity]?.for_s ?? 0) * 1000)
            .map(([severity]) => severity)
        : [];
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

const ORDER: Severity[] = ['info', 'warning', 'critical'];
export const sortSeverities = (list: Severity[]) =>
  [...list].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
