import { configFolder, problemsOf } from './testing/config-files';
import { ConfigurableFinding } from './findings-schema';
import { loadConfig } from './load';

const { yamlFile } = configFolder('pgg-findings-config-');

const KINDS: ConfigurableFinding[] = [
  { id: 'idle_in_transaction', params: { warning_s: { default: 300 }, critical_s: { default: 900 } } },
  { id: 'invalid_index', params: {} },
  { id: 'unencrypted_connections', params: { include_loopback: { default: false } } },
];

describe('findings configuration', () => {
  it('has every kind with its defaults, enabled', () => {
    const { config } = loadConfig({ env: {}, findingKinds: KINDS });
    expect(config.findings).toEqual({
      idle_in_transaction: { enabled: true, ignore: [], warning_s: 300, critical_s: 900 },
      invalid_index: { enabled: true, ignore: [] },
      unencrypted_connections: { enabled: true, ignore: [], include_loopback: false },
    });
  });

  it('takes a switch as a boolean from the file and the environment, and names the key of a number', () => {
    const on = loadConfig({
      env: { PGG_FINDINGS__UNENCRYPTED_CONNECTIONS__INCLUDE_LOOPBACK: 'true' },
      findingKinds: KINDS,
    });
    expect(on.config.findings.unencrypted_connections?.include_loopback).toBe(true);
    const file = yamlFile('findings:\n  unencrypted_connections: { include_loopback: 1 }\n');
    expect(problemsOf(() => loadConfig({ file, env: {}, findingKinds: KINDS }))).toEqual([
      expect.stringMatching(/^findings\.unencrypted_connections\.include_loopback: /),
    ]);
  });

  it('takes thresholds from the file and the environment (env wins)', () => {
    const file = yamlFile(
      'findings:\n  idle_in_transaction: { warning_s: 600 }\n  invalid_index: { enabled: false }\n',
    );
    const { config } = loadConfig({
      file,
      env: { PGG_FINDINGS__IDLE_IN_TRANSACTION__CRITICAL_S: '1800' },
      findingKinds: KINDS,
    });
    expect(config.findings.idle_in_transaction).toEqual({
      enabled: true,
      ignore: [],
      warning_s: 600,
      critical_s: 1800,
    });
    expect(config.findings.invalid_index?.enabled).toBe(false);
  });

  it('takes the objects a kind ignores from the file and the environment (a comma-separated list)', () => {
    const file = yamlFile('findings:\n  invalid_index: { ignore: [public.kept_idx, "reporting/*"] }\n');
    expect(loadConfig({ file, env: {}, findingKinds: KINDS }).config.findings.invalid_index?.ignore).toEqual([
      'public.kept_idx',
      'reporting/*',
    ]);
    const env = { PGG_FINDINGS__IDLE_IN_TRANSACTION__IGNORE: 'app/*, batch/* ' };
    expect(loadConfig({ env, findingKinds: KINDS }).config.findings.idle_in_transaction?.ignore).toEqual([
      'app/*',
      'batch/*',
    ]);
    const bad = yamlFile('findings:\n  invalid_index: { ignore: public.kept_idx }\n');
    expect(problemsOf(() => loadConfig({ file: bad, env: {}, findingKinds: KINDS }))).toEqual([
      expect.stringMatching(/^findings\.invalid_index\.ignore: /),
    ]);
  });

  it('names the key of an unknown kind, an unknown threshold or a bad value', () => {
    const file = yamlFile(
      'findings:\n  idle_in_transactions: {}\n  idle_in_transaction: { warn_s: 1, critical_s: -5 }\n',
    );
    const problems = problemsOf(() => loadConfig({ file, env: {}, findingKinds: KINDS }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^findings\.idle_in_transactions: /),
        expect.stringMatching(/^findings\.idle_in_transaction\.warn_s: /),
        expect.stringMatching(/^findings\.idle_in_transaction\.critical_s: /),
      ]),
    );
  });

  it('takes the section as it is for a caller that runs no checks', () => {
    const file = yamlFile('findings:\n  anything: { warning_s: 1 }\n');
    expect(loadConfig({ file, env: {} }).config.findings).toEqual({ anything: { warning_s: 1 } });
  });
});
