import { formatLabels } from '../../alerts/expr/vector';
import { promNumber } from '../../alerts/expr/render';
import { renderForBackend } from '../../alerts/templates';
import { FixtureCase, FixtureSeries, Severity } from '../../catalog/alerts/types';
import { fixtureCases } from './fixtures';
import { renderAnnotations, ruleLabels } from './prometheus-rules';
import { replayCase, ReplayedCheck, sortSeverities } from './replay';
import { LinkedRule } from './links';

/** promtool's expanding notation: 'a+bxn' is a, a+b, ... n more samples. */
function values(series: FixtureSeries): string {
  return series.segments
    .map(({ value, count, step = 0 }) => {
      if (count === 1) return promNumber(value);
      const sign = step < 0 ? '-' : '+';
      return `${promNumber(value)}${sign}${promNumber(Math.abs(step))}x${count - 1}`;
    })
    .join(' ');
}

const seriesName = (s: FixtureSeries) =>
  Object.keys(s.labels).length > 0 ? `${s.metric}${formatLabels(s.labels)}` : s.metric;

/** A case whose expectation the backend evaluator does not meet: the catalog or the evaluator is wrong. */
export class FixtureMismatch extends Error {}

function expectedAlerts(rule: LinkedRule, fixture: FixtureCase, check: ReplayedCheck) {
  return check.expected.map((severity: Severity) => {
    const threshold = rule.levels[severity]?.threshold ?? NaN;
    const value = check.value ?? NaN;
    return {
      exp_labels: { ...ruleLabels(rule, severity), ...fixture.instance },
      exp_annotations: renderAnnotations(rule, (t) =>
        renderForBackend(t, { labels: fixture.instance, value, threshold, unit: rule.definition.unit }),
      ),
    };
  });
}

/**
 * A rule's cases with the checks to expect. The catalog's cases first run through the backend
 * evaluator: a disagreement with the stated expectation is an error (strict) or drops the case (a
 * user's thresholds the generic fixtures cannot probe). A scrape alert's cases only Prometheus can
 * run; their annotations use no value.
 */
function checkedCases(
  rule: LinkedRule,
  options: { strict: boolean; onDrop?: (message: string) => void },
): { fixture: FixtureCase; checks: ReplayedCheck[] }[] {
  if (rule.origin.kind === 'scrape')
    return rule.origin.cases.map((fixture) => ({
      fixture,
      checks: fixture.checks.map((c) => ({
        atMinute: c.atMinute,
        expected: c.firing,
        firing: c.firing,
        value: 0,
      })),
    }));
  const effective = rule.origin.rule;
  const checked = [];
  for (const fixture of fixtureCases(effective)) {
    const replayed = replayCase(effective, fixture);
    const wrong = replayed.find((c) => sortSeverities(c.expected).join() !== c.firing.join());
    if (wrong) {
      const message = `${rule.definition.name} "${fixture.name}" at minute ${wrong.atMinute}: expected [${wrong.expected}] but the backend evaluator fires [${wrong.firing}]`;
      if (options.strict) throw new FixtureMismatch(message);
      options.onDrop?.(message);
      continue;
    }
    checked.push({ fixture, checks: replayed });
  }
  return checked;
}

/** prometheus/pg-governor.rules.test.yml: every alert's cases for `promtool test rules`. */
export function promtoolTests(
  rules: readonly LinkedRule[],
  ruleFile: string,
  options: { strict: boolean; onDrop?: (message: string) => void } = { strict: true },
) {
  const tests = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    for (const { fixture, checks } of checkedCases(rule, options)) {
      tests.push({
        name: `${rule.definition.name}: ${fixture.name}`,
        interval: '1m',
        input_series: fixture.series.map((s) => ({ series: seriesName(s), values: values(s) })),
        alert_rule_test: checks.map((check) => ({
          eval_time: `${check.atMinute}m`,
          alertname: rule.definition.name,
          exp_alerts: expectedAlerts(rule, fixture, check),
        })),
      });
    }
  }
  return { rule_files: [ruleFile], evaluation_interval: '1m', tests };
}
