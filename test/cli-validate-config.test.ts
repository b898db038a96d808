import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BackendProcess } from './support/backend-process';

// The command a DBA runs before deploying a configuration: the compiled CLI, as shipped.
const dir = mkdtempSync(path.join(tmpdir(), 'pgg-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
}

describe('pg-governor --validate-config', () => {
  it('prints the effective configuration with secrets masked and caps as warnings, exit 0', async () => {
    const config = file(
      'good.yaml',
      [
        'targets:',
        '  - name: main',
        '    dsn: postgres://pgg_monitor:hunter2-secret@db:5432/app',
        '    connection: { pool_max: 9 }',
        'auth: { read_tokens: [grafana-read-token-123456] }',
        'alerts:',
        '  notifiers:',
        '    pagerduty: { enabled: true, routing_key: pd-routing-key-secret }',
        '    slack: { enabled: true, webhook_url: "https://hooks.slack.com/services/T0/B0/slack-path-secret" }',
        '',
      ].join('\n'),
    );
    const result = await BackendProcess.run(['--validate-config', config], { PGG_HTTP_PORT: '9999' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('postgres://pgg_monitor:***@db:5432/app');
    expect(result.stdout).toMatch(/pool_max: 5/);
    expect(result.stdout).toMatch(/port: 9999/); // env wins over the file's default
    expect(result.stdout).not.toContain('hunter2-secret');
    expect(result.stdout).not.toContain('grafana-read-token');
    expect(result.stdout).not.toContain('pd-routing-key-secret');
    expect(result.stdout).not.toContain('slack-path-secret');
    expect(result.stdout).toContain('https://hooks.slack.com/***');
    expect(result.stderr).toMatch(/warning: targets\[0\]\.connection\.pool_max: 9 exceeds the safety cap/);
  });

  it('lists each error with its key path, exit 1', async () => {
    const config = file(
      'bad.yaml',
      'targets:\n  - name: main\n    dsn: "host=db"\n    governor: { mode: yolo }\nhttp: { port: 123456, colour: blue }\n',
    );
    const result = await BackendProcess.run(['--validate-config', config]);
    expect(result.code).toBe(1);
    const errors = result.stderr.trim().split('\n');
    expect(errors).toEqual(
      expect.arrayContaining([
        'error: targets[0].governor.mode: must be one of: observe, dry-run, enforce',
        'error: http.port: must be <= 65535',
        'error: http.colour: unknown key',
      ]),
    );
    expect(result.stdout).toBe('');
  });

  it('names a bad environment override, exit 1', async () => {
    const result = await BackendProcess.run(['--validate-config', file('empty.yaml', '')], {
      PGG_LOOPS__HOT__INTERVAL_S: 'often',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'error: PGG_LOOPS__HOT__INTERVAL_S (loops.hot.interval_s): must be integer',
    );
  });

  it('fails on invalid YAML and on a missing file, exit 1', async () => {
    const invalid = await BackendProcess.run(['--validate-config', file('broken.yaml', 'targets: [\n')]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/broken\.yaml: invalid YAML/);
    const missing = await BackendProcess.run(['--validate-config', path.join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.yaml: configuration file not found/);
  });

  it('refuses to start the service with an invalid configuration, exit 1', async () => {
    const result = await BackendProcess.run(['--config', file('bad-start.yaml', 'http: { port: -5 }\n')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: http.port: must be >= 0');
  });

  it('refuses what the schema cannot say: threshold order and a notifier without its key, exit 1', async () => {
    const config = file(
      'alert-problems.yaml',
      [
        'alerts:',
        '  rules:',
        '    connection_saturation: { warning: { threshold: 0.9 }, critical: { threshold: 0.8 } }',
        '  notifiers:',
        '    pagerduty: { enabled: true }',
        '',
      ].join('\n'),
    );
    for (const args of [
      ['--validate-config', config],
      ['--config', config],
    ]) {
      const result = await BackendProcess.run(args);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n').sort()).toEqual([
        'error: alerts.notifiers.pagerduty.routing_key: is required when the notifier is enabled',
        'error: alerts.rules.connection_saturation.critical.threshold: must be above the warning threshold (0.9): the alert fires when the value is >= the threshold',
      ]);
    }
  });

  it('rejects unknown arguments with usage, exit 2', async () => {
    const result = await BackendProcess.run(['--frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown option '--frobnicate'[\s\S]*Usage: pg-governor/);
  });

  it('rejects a missing file, a stray argument and two commands at once, exit 2', async () => {
    for (const [args, message] of [
      [['--config'], /--config <value>' argument missing/],
      [['--validate-config', ''], /--validate-config needs a file/],
      [['extra'], /Unexpected argument 'extra'/],
      [['--version', '--validate-config', 'x.yaml'], /use one of --version, --validate-config, not several/],
    ] as const) {
      const result = await BackendProcess.run([...args]);
      expect({ code: result.code, stderr: result.stderr }).toEqual({
        code: 2,
        stderr: expect.stringMatching(message),
      });
      expect(result.stderr).toContain('Usage: pg-governor');
    }
  });
});
