import { compare } from '../../alerts/expr/evaluate';
import { EffectiveRule, levelsOf } from '../../alerts/rules';
import {
  ConstantSeries,
  FixtureCase,
  FixtureContext,
  FixtureSeries,
  Severity,
} from '../../catalog/alerts/types';

const forMinutes = (forS: number) => Math.ceil(forS / 60);

/** The value that just meets a threshold, and the nearest one that does not. */
function probes(op: EffectiveRule['definition']['comparator'], threshold: number, epsilon: number) {
  switch (op) {
    case '>=':
      return { at: threshold, short: threshold - epsilon };
    case '>':
      return { at: threshold + epsilon, short: threshold };
    case '<=':
      return { at: threshold, short: threshold + epsilon };
    case '<':
      return { at: threshold - epsilon, short: threshold };
    case '==':
      return { at: threshold, short: threshold + epsilon };
  }
}

const constant = (series: ConstantSeries[], minutes: number): FixtureSeries[] =>
  series.map((s) => ({
    metric: s.metric,
    labels: s.labels,
    segments: [{ value: s.value, count: minutes + 1 }],
  }));

/**
 * The rule-test cases of an alert with the thresholds in effect. For a value alert, per level: the
 * value exactly at the threshold (pending before `for`, firing at `for`) and just short of it
 * (that level never fires, lower ones may), plus the alert's own quiet cases. Evaluated once a
 * minute, a condition true from the first sample fires at minute ceil(for / 60).
 */
export function fixtureCases(rule: EffectiveRule): FixtureCase[] {
  const d = rule.definition;
  const context: FixtureContext = { params: rule.params, levels: rule.levels };
  if (d.fixtures.kind === 'custom') return d.fixtures.cases(context);
  const spec = d.fixtures;
  const levels = levelsOf(rule);
  const expected = (value: number, minute: number): Severity[] =>
    levels
      .filter(
        ({ level }) => compare(value, d.comparator, level.threshold) && forMinutes(level.for_s) <= minute,
      )
      .map(({ severity }) => severity);
  const longest = Math.max(...levels.map(({ level }) => forMinutes(level.for_s)));
  const cases: FixtureCase[] = [];
  for (const { severity, level } of levels) {
    const { at, short } = probes(d.comparator, level.threshold, spec.epsilon);
    const due = forMinutes(level.for_s);
    const end = longest + 2;
    const atMinutes = [...(due > 0 ? [due - 1] : []), due, end];
    cases.push({
      name: `at the ${severity} threshold`,
      instance: spec.instance,
      series: constant(spec.inputs(at, context), end),
      checks: atMinutes.map((atMinute) => ({ atMinute, firing: expected(at, atMinute) })),
    });
    cases.push({
      name: `just short of the ${severity} threshold`,
      instance: spec.instance,
      series: constant(spec.inputs(short, context), end),
      checks: [{ atMinute: end, firing: expected(short, end) }],
    });
  }
  for (const quiet of spec.quietCases?.(context) ?? []) {
    cases.push({
      name: quiet.name,
      instance: spec.instance,
      series: constant(quiet.series, longest + 2),
      checks: [{ atMinute: longest + 2, firing: [] }],
    });
  }
  return cases;
}

/** The value of a series at a minute (undefined past its last sample). */
export function sampleAt(series: FixtureSeries, minute: number): number | undefined {
  let offset = minute;
  for (const segment of series.segments) {
    if (offset < segment.count) return segment.value + (segment.step ?? 0) * offset;
    offset -= segment.count;
  }
  return undefined;
}

export function caseMinutes(fixture: FixtureCase): number {
  return Math.max(...fixture.checks.map((c) => c.atMinute));
}
