import path from 'node:path';
import { configFolder, problemsOf } from './testing/config-files';
import { loadConfig } from './load';

const { dir, yamlFile } = configFolder('pgg-config-');

const TARGET = `targets:\n  - name: main\n    dsn: postgres://mon:pw@db.example:5432/app\n`;

describe('defaults', () => {
  it('gives a complete, safe configuration with no file and no environment', () => {
    const { config, warnings } = loadConfig({ env: {} });
    expect(warnings).toEqual([]);
    expect(config.targets).toEqual([]);
    expect(config.http).toMatchObject({ host: '127.0.0.1', port: 8765 });
    expect(config.defaults.connection).toMatchObject({
      pool_max: 3,
      statement_timeout_ms: 5000,
      lock_timeout_ms: 1000,
      read_only: true,
    });
    expect(config.defaults.governor).toMatchObject({
      mode: 'dry-run',
      thresholds: { warn: 0.7, optimize: 0.85, critical: 0.95 },
    });
    expect(config.loops.hot).toEqual({ interval_s: 5, budget_ms: 1000 });
    expect(config.top_n.statements).toBe(50);
    expect(config.memory.limit_mb).toBe(512);
  });

  it('merges the defaults into each target, target settings winning', () => {
    const file = yamlFile(
      `${TARGET}    connection: { statement_timeout_ms: 8000 }\n    governor: { thresholds: { critical: 0.97 }, protected: { users: [batch] } }\n`,
    );
    const [target] = loadConfig({ file, env: {} }).config.targets;
    expect(target?.connection).toMatchObject({
      statement_timeout_ms: 8000,
      lock_timeout_ms: 1000,
      pool_max: 3,
    });
    expect(target?.governor.thresholds).toEqual({ warn: 0.7, optimize: 0.85, critical: 0.97 });
    expect(target?.governor.protected).toEqual({ users: ['batch'], applications: [], databases: [] });
    expect(target?.governorDsn).toBe(target?.dsn);
  });
});

describe('database_sizes.interval_s', () => {
  it('reads the sizes every 600 s by default; the file or PGG_DATABASE_SIZES__INTERVAL_S change it', () => {
    expect(loadConfig({ env: {} }).config.database_sizes.interval_s).toBe(600);
    const file = yamlFile('database_sizes: { interval_s: 1800 }\n');
    expect(loadConfig({ file, env: {} }).config.database_sizes.interval_s).toBe(1800);
    const env = { PGG_DATABASE_SIZES__INTERVAL_S: '120' };
    expect(loadConfig({ file, env }).config.database_sizes.interval_s).toBe(120);
  });

  it('refuses an interval under a second, naming the key', () => {
    const file = yamlFile('database_sizes: { interval_s: 0 }\n');
    expect(problemsOf(() => loadConfig({ file, env: {} })).join('\n')).toContain('database_sizes.interval_s');
  });
});

describe('size_ranking.interval_s', () => {
  it('ranks relations by size every 3600 s by default; the file or PGG_SIZE_RANKING__INTERVAL_S change it', () => {
    expect(loadConfig({ env: {} }).config.size_ranking.interval_s).toBe(3600);
    const file = yamlFile('size_ranking: { interval_s: 600 }\n');
    expect(loadConfig({ file, env: {} }).config.size_ranking.interval_s).toBe(600);
    const env = { PGG_SIZE_RANKING__INTERVAL_S: '7200' };
    expect(loadConfig({ file, env }).config.size_ranking.interval_s).toBe(7200);
  });

  it.each([
    ['under a second', 'size_ranking: { interval_s: 0 }\n', /^size_ranking\.interval_s: must be >= 1$/m],
    ['over a day', 'size_ranking: { interval_s: 86401 }\n', /^size_ranking\.interval_s: must be <= 86400$/m],
    ['not a whole number', 'size_ranking: { interval_s: 1.5 }\n', /^size_ranking\.interval_s: /m],
  ])('refuses an interval %s, naming the key', (_case, yaml, problem) => {
    const file = yamlFile(yaml);
    expect(problemsOf(() => loadConfig({ file, env: {} })).join('\n')).toMatch(problem);
  });
});

describe('metrics.statements_top_n', () => {
  it('exports 20 statements a target by default; the file or PGG_METRICS__STATEMENTS_TOP_N change it', () => {
    expect(loadConfig({ env: {} }).config.metrics.statements_top_n).toBe(20);
    const file = yamlFile('metrics: { statements_top_n: 100 }\n');
    expect(loadConfig({ file, env: {} }).config.metrics.statements_top_n).toBe(100);
    const env = { PGG_METRICS__STATEMENTS_TOP_N: '0' };
    expect(loadConfig({ file, env }).config.metrics.statements_top_n).toBe(0);
  });

  it('refuses a negative or oversized count, naming the key', () => {
    for (const value of ['-1', '1001', 'many']) {
      const file = yamlFile(`metrics: { statements_top_n: ${value} }\n`);
      expect(problemsOf(() => loadConfig({ file, env: {} })).join('\n')).toContain(
        'metrics.statements_top_n',
      );
    }
  });
});

describe('environment overrides (env wins)', () => {
  it('overrides file values by well-known names and by key path', () => {
    const file = yamlFile(
      `${TARGET}    governor: { mode: observe }\nhttp: { port: 9000 }\nloops: { hot: { interval_s: 20 } }\n`,
    );
    const { config } = loadConfig({
      file,
      env: {
        PGG_HTTP_PORT: '9100',
        PGG_LOOPS__HOT__INTERVAL_S: '5',
        PGG_TARGETS__MAIN__GOVERNOR__MODE: 'enforce',
      },
    });
    expect(config.http.port).toBe(9100);
    expect(config.loops.hot.interval_s).toBe(5);
    expect(config.targets[0]?.governor.mode).toBe('enforce');
  });

  it('reads lists and booleans from strings', () => {
    const { config } = loadConfig({
      env: { PGG_READ_TOKENS: 'aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb', PGG_AUTH__PROTECT_METRICS: 'yes' },
    });
    expect(config.auth.read_tokens).toEqual(['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb']);
    expect(config.auth.protect_metrics).toBe(true);
  });

  it('PGG_TARGET_URL replaces the DSN of the target of that name, or adds it', () => {
    const file = yamlFile(TARGET);
    const replaced = loadConfig({ file, env: { PGG_TARGET_URL: 'postgres://u@other/db' } }).config.targets;
    expect(replaced.map((t) => [t.name, t.dsn])).toEqual([['main', 'postgres://u@other/db']]);
    const added = loadConfig({
      file,
      env: { PGG_TARGET_URL: 'postgres://u@other/db', PGG_TARGET_NAME: 'replica' },
    }).config.targets;
    expect(added.map((t) => t.name)).toEqual(['main', 'replica']);
    expect(loadConfig({ env: { PGG_TARGET_URL: 'postgres://u@h/db' } }).config.targets[0]?.name).toBe('main');
  });

  it('reads the file named by PGG_CONFIG', () => {
    const file = yamlFile('http: { port: 9200 }\n');
    expect(loadConfig({ env: { PGG_CONFIG: file } }).config.http.port).toBe(9200);
  });

  it('ignores variables reserved for the test suite', () => {
    expect(() => loadConfig({ env: { PGG_TEST_MAJORS: '14' } })).not.toThrow();
  });
});

describe('safety caps', () => {
  it('clamps pool size, statement and lock timeouts, and says so naming the key', () => {
    const file = yamlFile(
      `${TARGET}    connection: { pool_max: 12, statement_timeout_ms: 200, lock_timeout_ms: 900 }\n`,
    );
    const { config, warnings } = loadConfig({ file, env: {} });
    expect(config.targets[0]?.connection).toMatchObject({
      pool_max: 5,
      statement_timeout_ms: 1000,
      lock_timeout_ms: 900,
    });
    expect(warnings).toEqual([
      expect.stringMatching(/^targets\[0\]\.connection\.pool_max: 12 exceeds the safety cap .* using 5$/),
      expect.stringMatching(
        /^targets\[0\]\.connection\.statement_timeout_ms: 200 is below the safety floor .* using 1000$/,
      ),
    ]);
  });

  it('keeps lock_timeout at or below statement_timeout', () => {
    const file = yamlFile(
      `defaults: { connection: { statement_timeout_ms: 3000, lock_timeout_ms: 8000 } }\n${TARGET}`,
    );
    const { config, warnings } = loadConfig({ file, env: {} });
    expect(config.targets[0]?.connection.lock_timeout_ms).toBe(3000);
    expect(warnings).toEqual([
      expect.stringMatching(/^defaults\.connection\.lock_timeout_ms: 8000 exceeds statement_timeout_ms/),
    ]);
  });

  it('caps values that come from the environment too', () => {
    const { config, warnings } = loadConfig({ env: { PGG_DEFAULTS__CONNECTION__POOL_MAX: '50' } });
    expect(config.defaults.connection.pool_max).toBe(5);
    expect(warnings).toHaveLength(1);
  });

  it('binds to loopback only when no API token is configured', () => {
    const open = loadConfig({ env: { PGG_HTTP_HOST: '0.0.0.0' } });
    expect(open.config.http.host).toBe('127.0.0.1');
    expect(open.warnings).toEqual([expect.stringContaining('binds to 127.0.0.1 only')]);
    expect(loadConfig({ env: { PGG_READ_TOKENS: 'r'.repeat(20) } }).config.http.host).toBe('0.0.0.0');
  });
});

describe('bad input names the key', () => {
  it.each([
    ['invalid YAML', 'http: { port: 1\n', /config-\d+\.yaml: invalid YAML/],
    ['a list at the top', '- a\n- b\n', /the top level must be a mapping/],
    ['an unknown key', 'http: { prot: 1 }\n', /^http\.prot: unknown key$/],
    ['an unknown top-level key', 'colour: red\n', /^colour: unknown key$/],
    ['a wrong type', 'http: { port: high }\n', /^http\.port: must be integer$/],
    ['an out-of-range value', 'http: { port: 70000 }\n', /^http\.port: must be <= 65535$/],
    [
      'a ratio above 1',
      'defaults: { governor: { thresholds: { warn: 1.5 } } }\n',
      /^defaults\.governor\.thresholds\.warn: must be <= 1$/,
    ],
    [
      'an unknown mode',
      `${TARGET}    governor: { mode: kill-all }\n`,
      /^targets\[0\]\.governor\.mode: must be one of: observe, dry-run, enforce$/,
    ],
    ['a target without dsn', 'targets: [{ name: x }]\n', /^targets\[0\]: must have required property 'dsn'$/],
    [
      'a bad target name',
      'targets: [{ name: "a b", dsn: "postgres://h/d" }]\n',
      /^targets\[0\]\.name: must match pattern/,
    ],
    [
      'a key=value DSN',
      'targets: [{ name: a, dsn: "host=h dbname=d" }]\n',
      /^targets\[0\]\.dsn: must be a postgres:\/\/ or postgresql:\/\/ URL$/,
    ],
    [
      'duplicate target names',
      'targets: [{ name: a, dsn: "postgres://h/d" }, { name: A, dsn: "postgres://h/d" }]\n',
      /^targets\[1\]\.name: duplicate target name "A"$/,
    ],
    [
      'thresholds out of order',
      'defaults: { governor: { thresholds: { warn: 0.9 } } }\n',
      /^defaults\.governor\.thresholds: must rise: warn \(0\.9\)/,
    ],
    [
      'a bad protected regex',
      'defaults: { governor: { protected: { users: ["/[/"] } } }\n',
      /^defaults\.governor\.protected\.users\[0\]: invalid regular expression/,
    ],
    [
      'a short token',
      'auth: { read_tokens: [abc] }\n',
      /^auth\.read_tokens\[0\]: must NOT have fewer than 16 characters$/,
    ],
  ])('%s', (_name, yaml, expected) => {
    expect(problemsOf(() => loadConfig({ file: yamlFile(yaml), env: {} }))).toEqual([
      expect.stringMatching(expected),
    ]);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf(() =>
      loadConfig({
        file: yamlFile('http: { port: -1, prot: 1 }\nloops: { hot: { interval_s: 0 } }\n'),
        env: {},
      }),
    );
    expect(problems).toHaveLength(3);
  });

  it('names a missing file', () => {
    expect(problemsOf(() => loadConfig({ file: path.join(dir, 'absent.yaml'), env: {} }))).toEqual([
      expect.stringMatching(/absent\.yaml: configuration file not found$/),
    ]);
  });

  it.each([
    [{ PGG_HTTP_PORT: 'high' }, /^PGG_HTTP_PORT \(http\.port\): must be integer$/],
    [{ PGG_HTTP__PROT: '1' }, /^PGG_HTTP__PROT: unknown configuration key http\.prot$/],
    [{ PGG_COLOUR: 'red' }, /^PGG_COLOUR: unknown PGG_ variable/],
    [{ PGG_LOOPS__HOT: '5' }, /^PGG_LOOPS__HOT: loops\.hot is a section, not a value$/],
    [
      { PGG_TARGETS__NOPE__GOVERNOR__MODE: 'enforce' },
      /^PGG_TARGETS__NOPE__GOVERNOR__MODE: no target named "nope"/,
    ],
    [{ PGG_LOG_LEVEL: 'loud' }, /^PGG_LOG_LEVEL \(log\.level\): must be one of: fatal, error/],
  ])('names the environment variable: %j', (env, expected) => {
    expect(problemsOf(() => loadConfig({ env }))).toEqual([expect.stringMatching(expected)]);
  });
});

describe('alert rules', () => {
  // Two made-up kinds: the loader knows alert kinds only as the caller gives them (the catalog).
  const alertKinds = [
    {
      id: 'busy',
      levels: { warning: { threshold: 0.8, for_s: 60 }, critical: { threshold: 0.9, for_s: 0 } },
    },
    { id: 'bloated', levels: { warning: { threshold: 10, for_s: 300 } }, params: { min_rows: 1000 } },
  ];

  it('fills each kind with its defaults, file and environment overriding', () => {
    const file = yamlFile('alerts:\n  rules:\n    busy: { warning: { threshold: 0.75 } }\n');
    const { config } = loadConfig({
      file,
      env: { PGG_ALERTS__RULES__BLOATED__PARAMS__MIN_ROWS: '50' },
      alertKinds,
    });
    expect(config.alerts.rules).toEqual({
      busy: {
        enabled: true,
        warning: { threshold: 0.75, for_s: 60 },
        critical: { threshold: 0.9, for_s: 0 },
      },
      bloated: { enabled: true, warning: { threshold: 10, for_s: 300 }, params: { min_rows: 50 } },
    });
  });

  it('refuses a kind, level or param it was not given', () => {
    const file = yamlFile('alerts:\n  rules:\n    busy: { info: { threshold: 0.5 } }\n    nope: {}\n');
    expect(
      problemsOf(() =>
        loadConfig({ file, env: { PGG_ALERTS__RULES__BLOATED__PARAMS__MAX_ROWS: '5' }, alertKinds }),
      ),
    ).toEqual([
      'PGG_ALERTS__RULES__BLOATED__PARAMS__MAX_ROWS: unknown configuration key alerts.rules.bloated.params.max_rows',
    ]);
    expect(problemsOf(() => loadConfig({ file, env: {}, alertKinds })).sort()).toEqual([
      'alerts.rules.busy.info: unknown key',
      'alerts.rules.nope: unknown key',
    ]);
  });
});
