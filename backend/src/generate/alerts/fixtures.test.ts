import { ALERT_CATALOG } from '../../catalog/alerts';
import { fixtureCases } from './fixtures';
import { replayCase, sortSeverities } from './replay';
import { levelsOf, effectiveRules } from '../../alerts/rules';

/**
 * The catalog's rule-test cases, run through the backend evaluator: what they state must fire (at
 * the threshold, after `for`) fires, and nothing else. promtool runs the very same cases against
 * the generated Prometheus rules (test/alerts/promtool.test.ts), so both sides meet one expectation.
 */
describe.each(effectiveRules().map((r) => [r.definition.name, r] as const))('%s', (_name, rule) => {
  const cases = fixtureCases(rule);

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_caseName, fixture) => {
    for (const check of replayCase(rule, fixture)) {
      expect({ minute: check.atMinute, firing: check.firing }).toEqual({
        minute: check.atMinute,
        firing: sortSeverities(check.expected),
      });
    }
  });

  it('probes every level: firing at its threshold, and (for value alerts) quiet just short of it', () => {
    if (rule.definition.fixtures.kind === 'custom') {
      const fired = new Set(cases.flatMap((c) => c.checks.flatMap((k) => k.firing)));
      for (const { severity } of levelsOf(rule)) expect(fired).toContain(severity);
      expect(cases.some((c) => c.checks.every((k) => k.firing.length === 0))).toBe(true);
      return;
    }
    for (const { severity, level } of levelsOf(rule)) {
      const at = cases.find((c) => c.name === `at the ${severity} threshold`);
      expect(at?.checks.some((k) => k.firing.includes(severity))).toBe(true);
      if (level.for_s > 0) expect(at?.checks[0]?.firing).not.toContain(severity);
      const short = cases.find((c) => c.name === `just short of the ${severity} threshold`);
      expect(short?.checks.every((k) => !k.firing.includes(severity))).toBe(true);
    }
  });
});

it('covers every alert of the catalog', () => {
  expect(effectiveRules().map((r) => r.definition.id)).toEqual(ALERT_CATALOG.map((a) => a.id));
});
