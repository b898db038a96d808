import { formatLabels } from '../../alerts/expr/vector';
import { promNumber } from '../../alerts/expr/render';
import { renderForBackend } from '../../alerts/templates';
import { FixtureCase, FixtureSeries, Severity } from '../../catalog/alerts/types';
import { EffectiveRule } from '../../alerts/rules';
import { fixtureCases } from './fixtures';
import { renderAnnotations, ruleLabels } from './prometheus-rules';
import { replayCase, ReplayedCheck, sortSeverities } from './replay';

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

function expectedAlerts(rule: EffectiveRule, fixture: FixtureCase, check: ReplayedCheck) {
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
 * prometheus/pg-governor.rules.test.yml: every alert's fixture cases for `promtool test rules`.
 * Each case first runs through the backend evaluator; a disagreement with the stated expectation
 * is an error (strict) or drops the case (a user's thresholds the generic fixtures cannot probe).
 */
export function promtoolTests(
  rules: readonly EffectiveRule[],
  ruleFile: string,
  options: { strict: boolean; onDrop?: (message: string) => void } = { strict: true },
) {
  const tests = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    for (const fixture of fixtureCases(rule)) {
      const replayed = replayCase(rule, fixture);
      const wrong = replayed.find((c) => sortSeverities(c.expected).join() !== c.firing.join());
      if (wrong) {
        const message = `${rule.definition.name} "${fixture.name}" at minute ${wrong.atMinute}: expected [${wrong.expected}] but the backend evaluator fires [${wrong.firing}]`;
        if (options.strict) throw new FixtureMismatch(message);
        options.onDrop?.(message);
        continue;
      }
      tests.push({
        name: `${rule.definition.name}: ${fixture.name}`,
        interval: '1m',
        input_series: fixture.series.map((s) => ({ series: seriesName(s), values: values(s) })),
        alert_rule_test: replayed.map((check) => ({
          eval_time: `${check.atMinute}m`,
          alertname: rule.definition.name,
          exp_alerts: expectedAlerts(rule, fixture, check),
        })),
      });
    }
  }
  return { rule_files: [ruleFile], evaluation_interval: '1m', tests };
}
