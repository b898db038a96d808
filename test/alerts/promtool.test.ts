import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';

/**
 * The shipped Prometheus rules, checked by Prometheus' own tool (Debian package `prometheus`):
 * `promtool check rules` (syntax, PromQL) and `promtool test rules` (the fixtures generated from the
 * catalog). The fixtures are then read back to prove they cover every alert and level: firing at its
 * threshold, quiet just short of it, and not before its `for`.
 */
const PROMTOOL = '/usr/bin/promtool';
const REPO = path.resolve(__dirname, '..', '..');
const RULES = path.join(REPO, 'prometheus', 'pg-governor.rules.yml');
const TESTS = path.join(REPO, 'prometheus', 'pg-governor.rules.test.yml');
const run = promisify(execFile);

interface PromRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
}
interface Check {
  eval_time: string;
  alertname: string;
  exp_alerts: { exp_labels: Record<string, string> }[];
}
interface RuleTest {
  name: string;
  input_series: { series: string; values: string }[];
  alert_rule_test: Check[];
}

async function promtool(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(PROMTOOL, args, { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** '2m', '90s', '1h30m', '0s' -> seconds. */
function seconds(duration: string | undefined): number {
  if (!duration) return 0;
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) {
    const factor = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[unit as string] ?? NaN;
    total += Number(n) * factor;
  }
  return total;
}

const rules: PromRule[] = (
  parse(readFileSync(RULES, 'utf8')) as { groups: { rules: PromRule[] }[] }
).groups.flatMap((g) => g.rules);
const tests: RuleTest[] = (parse(readFileSync(TESTS, 'utf8')) as { tests: RuleTest[] }).tests;
const levels = rules.map((r) => ({
  alertname: r.alert,
  severity: r.labels.severity as string,
  forS: seconds(r.for),
  rule: r,
}));
const levelName = (l: { alertname: string; severity: string }) => `${l.alertname} ${l.severity}`;

/** Whether a check of a test expects that alert at that severity to fire. */
const fires = (check: Check, alertname: string, severity: string) =>
  check.alertname === alertname && check.exp_alerts.some((a) => a.exp_labels.severity === severity);

beforeAll(() => {
  if (!existsSync(PROMTOOL))
    throw new Error(
      `${PROMTOOL} is missing: apt-get install -y --no-install-recommends prometheus (.ci/run does)`,
    );
});

it('promtool check rules accepts the shipped rules file', async () => {
  const { code, output } = await promtool('check', 'rules', RULES);
  expect(output).toContain(`SUCCESS: ${rules.length} rules found`);
  expect(code).toBe(0);
});

it('promtool test rules passes every shipped fixture', async () => {
  const { code, output } = await promtool('test', 'rules', TESTS);
  if (code !== 0) throw new Error(`promtool test rules failed:\n${output.slice(0, 20_000)}`);
  expect(output).toContain('SUCCESS');
});

describe('the fixtures cover every alert of the rules file', () => {
  it('has rules for every alert and severity (sanity)', () => {
    expect(levels.length).toBeGreaterThan(30);
    for (const l of levels) expect(['info', 'warning', 'critical']).toContain(l.severity);
  });

  it.each(levels.map((l) => [levelName(l), l] as const))('%s fires in some case', (_n, l) => {
    const firing = tests.some((t) => t.alert_rule_test.some((c) => fires(c, l.alertname, l.severity)));
    expect(firing).toBe(true);
  });

  it.each(levels.map((l) => [levelName(l), l] as const))(
    '%s stays quiet in a case evaluated past its `for`',
    (_n, l) => {
      // A case where the alert is checked after `for` has elapsed and that level is not expected:
      // just short of the threshold, or a secondary condition failing.
      const quiet = tests.some((t) =>
        t.alert_rule_test.some(
          (c) =>
            c.alertname === l.alertname &&
            seconds(c.eval_time) >= l.forS &&
            !fires(c, l.alertname, l.severity) &&
            // and never fires at that level anywhere in the case
            t.alert_rule_test.every((other) => !fires(other, l.alertname, l.severity)),
        ),
      );
      expect(quiet).toBe(true);
    },
  );
});

/** Flips a comparison's strictness: a case sitting exactly on the threshold must notice. */
const FLIP: Record<string, string> = { '>=': '>', '>': '>=', '<=': '<', '<': '<=' };
const FINAL_COMPARISON = /\s(>=|>|<=|<|==)\s(-?[\d.e+]+)$/;

/** Whether the alert has cases that sit exactly on this level's threshold (generated for value fixtures). */
const hasExactCase = (l: { alertname: string; severity: string }) =>
  tests.some((t) => t.name === `${l.alertname}: at the ${l.severity} threshold`);

interface Mutant {
  level: (typeof levels)[number];
  what: string;
  mutate: (rule: PromRule) => void;
}

/**
 * Mutation tests: each level's rule altered alone, in a copy of the rules file, against the cases of
 * its alert. Every mutant must fail its cases, or the fixtures do not pin what they claim:
 * - `for` removed: some case must see the level fire too early (the fixtures respect `for`);
 * - the comparison's strictness flipped (>= to >, > to >=): some case must sit exactly on the
 *   threshold, so the level fires at the threshold and not below it. Levels whose alert has such
 *   cases ("at the <severity> threshold", one constant series per input);
 * - otherwise (computed values: baselines, counters, ratios of windows) either that flip or the
 *   threshold moved a fifth toward firing must fail: some case comes that close without firing.
 */
describe('mutated rules fail their fixtures', () => {
  const mutants: Mutant[] = [
    ...levels
      .filter((l) => l.forS > 0)
      .map((level) => ({ level, what: 'without its `for`', mutate: (r: PromRule) => (r.for = '0s') })),
    ...levels
      .filter((l) => FLIP[FINAL_COMPARISON.exec(l.rule.expr)?.[1] ?? ''])
      .map((level) => ({
        level,
        what: 'with its comparison strictness flipped',
        mutate: (r: PromRule) =>
          (r.expr = r.expr.replace(FINAL_COMPARISON, (_m, op: string, n: string) => ` ${FLIP[op]} ${n}`)),
      })),
    ...levels
      .filter((l) => !hasExactCase(l))
      .map((level) => ({
        level,
        what: 'with its threshold moved a fifth toward firing',
        mutate: (r: PromRule) =>
          (r.expr = r.expr.replace(FINAL_COMPARISON, (_m, op: string, n: string) => {
            const threshold = Number(n);
            const toward = op.startsWith('>') ? -1 : 1;
            return ` ${op} ${threshold + toward * Math.max(Math.abs(threshold) * 0.2, 1e-9)}`;
          })),
      })),
  ];
  const outcome = new Map<number, { code: number; output: string }>();
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pgg-promtool-'));
    const suite = parse(readFileSync(TESTS, 'utf8')) as { tests: RuleTest[] };
    const files = mutants.map((mutant, i) => {
      const document = parse(readFileSync(RULES, 'utf8')) as {
        groups: { name: string; rules: PromRule[] }[];
      };
      const rule = document.groups.flatMap((g) => g.rules)[levels.indexOf(mutant.level)] as PromRule;
      const before = rule.expr + String(rule.for);
      mutant.mutate(rule);
      if (rule.expr + String(rule.for) === before) throw new Error(`mutant ${i} changed nothing`);
      // Only the alert's own rules: promtool evaluates every rule of the file at every step.
      const groups = document.groups
        .map((g) => ({ ...g, rules: g.rules.filter((r) => r.alert === mutant.level.alertname) }))
        .filter((g) => g.rules.length > 0);
      writeFileSync(path.join(dir, `rules-${i}.yml`), stringify({ groups }));
      const tests = suite.tests.filter((t) => t.name.startsWith(`${mutant.level.alertname}:`));
      const file = path.join(dir, `mutant-${i}.yml`);
      writeFileSync(file, stringify({ ...suite, rule_files: [`rules-${i}.yml`], tests }));
      return file;
    });
    // Two at a time (the machine is shared); each run is one small rules file and one alert's cases.
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < files.length; i = next++) {
        const result = await promtool('test', 'rules', files[i] as string);
        outcome.set(i, result);
      }
    };
    await Promise.all([worker(), worker()]);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('mutates every level with a `for` and every threshold comparison (sanity)', () => {
    expect(mutants.length).toBeGreaterThan(levels.length);
  });

  const failed = (i: number) => {
    const result = outcome.get(i);
    return result !== undefined && result.code !== 0 && /^\s+FAILED:/m.test(result.output);
  };

  it.each(
    mutants
      .map((m, i) => [levelName(m.level), m.what, i] as const)
      // Each `for` mutant, and each flip of a level with cases exactly on its threshold; the
      // computed-value levels are judged below, on either of their threshold mutants.
      .filter(([, what, i]) => what.includes('`for`') || hasExactCase((mutants[i] as Mutant).level)),
  )('%s %s fails a case', (_name, _what, i) => {
    expect({ failed: failed(i), output: outcome.get(i)?.output.slice(0, 2000) }).toMatchObject({
      failed: true,
    });
  });

  it.each(levels.filter((l) => !hasExactCase(l)).map((l) => [levelName(l), l] as const))(
    '%s (a computed value) fails a case with its threshold flipped or moved a fifth',
    (_name, level) => {
      const mine = mutants.flatMap((m, i) => (m.level === level && !m.what.includes('`for`') ? [i] : []));
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.some(failed)).toBe(true);
    },
  );
});
