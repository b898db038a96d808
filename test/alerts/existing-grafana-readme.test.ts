import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

/**
 * The README's "Add to an existing Grafana", followed as written: the files it names exist, and its
 * `alerts:generate` command (the generator's own flags only) writes alerting that points at the
 * user's backend, Prometheus and Grafana, not the compose stack's, and no policy tree.
 */
const REPO = path.resolve(__dirname, '..', '..');
const GENERATE = path.join(REPO, 'backend', 'dist', 'generate', 'cli', 'alerts.js');
const run = promisify(execFile);

const section = (() => {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const start = readme.indexOf('### Add to an existing Grafana');
  const end = readme.indexOf('\n## ', start);
  return start < 0 ? '' : readme.slice(start, end < 0 ? undefined : end);
})();

/** The section's generate command, on one line. */
const command = /`(npm run alerts:generate -- [^`]+)`/.exec(section)?.[1]?.replace(/\s+/g, ' ') ?? '';

/** Its flags with what a user would put in place of `<...>`. */
const MINE: Record<string, string> = {
  '--backend-url': 'http://pgg.example.net:8765',
  '--prometheus-url': 'http://prometheus.example.net:9090',
  '--grafana-url': 'https://grafana.example.net',
};

interface RuleGroups {
  groups: { rules: { annotations: Record<string, string> }[] }[];
}

it('is in the README, with the generate command', () => {
  expect(section).toContain('what it changes in your Grafana');
  expect(command).toMatch(/^npm run alerts:generate -- /);
});

it('names only files that the repository has', () => {
  const paths = [...section.matchAll(/`((?:provisioning|dashboards|docker|prometheus)\/[^`\s]*)`/g)].map(
    (m) => m[1] as string,
  );
  expect(paths.length).toBeGreaterThan(3);
  for (const file of paths) {
    // dashboards/*.json: the folder and a file of that kind.
    const [dir, pattern] = file.includes('*') ? [path.dirname(file), path.basename(file)] : [file, undefined];
    expect({ file, exists: existsSync(path.join(REPO, dir)) }).toEqual({ file, exists: true });
    if (pattern) {
      const suffix = pattern.replace('*', '');
      expect(readdirSync(path.join(REPO, dir)).some((f) => f.endsWith(suffix))).toBe(true);
    }
  }
});

it('generates alerting for your backend, Prometheus and Grafana with flags the generator has', async () => {
  const flags = [...command.matchAll(/(--[a-z-]+) <[^>]+>/g)].map((m) => m[1] as string);
  expect(flags).toEqual(expect.arrayContaining(['--config', '--out', ...Object.keys(MINE)]));
  const { stdout: usage } = await run(process.execPath, [GENERATE, '--help']);
  for (const flag of flags)
    expect({ flag, known: usage.includes(`${flag} <`) }).toEqual({ flag, known: true });

  const out = mkdtempSync(path.join(tmpdir(), 'pgg-existing-grafana-'));
  try {
    // The catalog's defaults stand in for `--config <yours>`.
    const args = Object.entries(MINE).flat();
    await run(process.execPath, [GENERATE, '--out', out, ...args]);
    const alerting = path.join(out, 'provisioning', 'alerting');
    expect(readdirSync(alerting).sort()).toEqual(['contact-points.yaml', 'rules.yaml']);

    const rules = (
      parse(readFileSync(path.join(alerting, 'rules.yaml'), 'utf8')) as RuleGroups
    ).groups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThan(10);
    for (const rule of rules)
      expect(rule.annotations.dashboard_url).toMatch(new RegExp(`^${MINE['--grafana-url']}/d/`));

    const contactPoints = readFileSync(path.join(alerting, 'contact-points.yaml'), 'utf8');
    expect(contactPoints).toContain(`${MINE['--backend-url']}/api/v1/alerts/webhook`);
    expect(contactPoints).not.toContain('http://backend:8765');
    const datasource = readFileSync(path.join(out, 'provisioning', 'datasources', 'prometheus.yaml'), 'utf8');
    expect(datasource).toContain(`url: ${MINE['--prometheus-url']}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
