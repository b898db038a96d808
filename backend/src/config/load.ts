import { existsSync, readFileSync } from 'node:fs';
import { ValidateFunction } from 'ajv';
import { ConfigurableAlert } from './alerts-schema';
import { ConfigurableFinding } from './findings-schema';
import { customMetricProblems } from './custom-metrics';
import { readCustomMetricsFiles } from './custom-metrics-files';
import { ConfigError, ConfigProblem } from './errors';
import { applyOverrides, applyTargetUrl, readEnvOverrides } from './env-overrides';
import { dsnProblems, governorProblems, resolveTarget } from './resolve-target';
import { capConnection } from './safety-caps';
import { ajv, schemaProblems } from './schema-problems';
import { readTargetsDir } from './target-files';
import { mergeTargetFiles, targetsOfFiles } from './target-inventory';
import { Config, ConfigFile, configFileSchema, TargetConfig } from './schema';
import { parseYaml } from './yaml-text';

export interface LoadedConfig {
  config: Config;
  /** Safety caps applied and other adjustments: log each at warn. */
  warnings: string[];
  file?: string;
  /**
   * What is wrong with files of targets_dir: not fatal at start (those files' targets are left
   * out and reported, the rest run), errors for --validate-config.
   */
  targetFileProblems: ConfigProblem[];
}

export interface LoadOptions {
  /** Default: PGG_CONFIG, else none (env only). */
  file?: string;
  /** Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * The alert kinds alerts.rules configures (the service passes the alert catalog). Default:
   * none, for callers that do not alert; the engine falls back to each kind's defaults anyway.
   */
  alertKinds?: readonly ConfigurableAlert[];
  /**
   * The finding kinds the findings section configures (the service passes the catalog). Default:
   * none, and the section is taken as it is; the engine falls back to each kind's defaults.
   */
  findingKinds?: readonly ConfigurableFinding[];
}

const NO_ALERT_KINDS: readonly ConfigurableAlert[] = [];
const NO_FINDING_KINDS: readonly ConfigurableFinding[] = [];

type CompiledSchema = { schema: ReturnType<typeof configFileSchema>; validate: ValidateFunction<ConfigFile> };

/** The schema and its compiled validator per lists of alert and finding kinds (the catalog's are one each). */
const compiled = new WeakMap<
  readonly ConfigurableAlert[],
  WeakMap<readonly ConfigurableFinding[], CompiledSchema>
>();

function fileSchemaFor(
  alertKinds: readonly ConfigurableAlert[],
  findingKinds: readonly ConfigurableFinding[],
): CompiledSchema {
  let byFindings = compiled.get(alertKinds);
  if (!byFindings) compiled.set(alertKinds, (byFindings = new WeakMap()));
  let entry = byFindings.get(findingKinds);
  if (!entry) {
    const schema = configFileSchema(alertKinds, findingKinds);
    entry = { schema, validate: ajv.compile<ConfigFile>(schema) };
    byFindings.set(findingKinds, entry);
  }
  return entry;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

type Raw = Record<string, unknown>;

function readFile(file: string): Raw {
  if (!existsSync(file)) throw new ConfigError([{ path: file, message: 'configuration file not found' }]);
  const { value, errors } = parseYaml(readFileSync(file, 'utf8'));
  if (errors.length > 0) throw new ConfigError(errors.map((message) => ({ path: file, message })));
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError([{ path: file, message: 'the top level must be a mapping of keys' }]);
  }
  return value as Raw;
}

function resolveTargets(file: ConfigFile, warnings: string[], problems: ConfigProblem[]): TargetConfig[] {
  const seen = new Set<string>();
  return file.targets.map((target, i) => {
    const path = `targets[${i}]`;
    if (seen.has(target.name.toLowerCase()))
      problems.push({ path: `${path}.name`, message: `duplicate target name "${target.name}"` });
    seen.add(target.name.toLowerCase());
    return resolveTarget(target, file.defaults, path, warnings, problems);
  });
}

function resolveHttpHost(file: ConfigFile, warnings: string[]): string {
  const hasTokens = file.auth.read_tokens.length + file.auth.admin_tokens.length > 0;
  const host = file.http.host ?? (hasTokens ? '0.0.0.0' : '127.0.0.1');
  if (!hasTokens && !LOOPBACK.has(host)) {
    warnings.push(`http.host: ${host} ignored: with no API token configured the API binds to 127.0.0.1 only`);
    return '127.0.0.1';
  }
  return host;
}

/**
 * The effective configuration: the YAML file (if any), then PGG_* environment overrides (env
 * wins), validated against the schema, defaults filled in, safety caps applied.
 * Throws ConfigError listing every problem with its key path.
 */
export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? env.PGG_CONFIG;
  const { schema, validate: validateFile } = fileSchemaFor(
    options.alertKinds ?? NO_ALERT_KINDS,
    options.findingKinds ?? NO_FINDING_KINDS,
  );
  const raw = file ? readFile(file) : {};
  const fromEnv = readEnvOverrides(env, raw, schema);
  if (fromEnv.targetUrl) applyTargetUrl(raw, fromEnv.targetUrl);
  applyOverrides(raw, fromEnv.overrides);
  if (fromEnv.problems.length > 0) throw new ConfigError(fromEnv.problems);

  if (!validateFile(raw)) throw new ConfigError(schemaProblems(validateFile.errors ?? [], fromEnv.overrides));
  const parsed = raw as ConfigFile;
  // Application packs: their metrics join custom_metrics and are checked with them below.
  parsed.custom_metrics.push(...readCustomMetricsFiles(parsed.custom_metrics_files, file));

  const warnings: string[] = [];
  const problems: ConfigProblem[] = [];
  warnings.push(...capConnection(parsed.defaults.connection, 'defaults.connection'));
  problems.push(...governorProblems(parsed.defaults.governor, 'defaults.governor'));
  if (parsed.store.url) problems.push(...dsnProblems(parsed.store.url, 'store.url'));
  if (parsed.reconnect.initial_backoff_ms > parsed.reconnect.max_backoff_ms) {
    problems.push({
      path: 'reconnect.initial_backoff_ms',
      message: 'must not exceed reconnect.max_backoff_ms',
    });
  }
  if (parsed.replicas.lease_ms < 3 * parsed.replicas.heartbeat_ms) {
    problems.push({
      path: 'replicas.lease_ms',
      message: `must be at least 3 heartbeats (3 × replicas.heartbeat_ms = ${3 * parsed.replicas.heartbeat_ms})`,
    });
  }
  const targets = resolveTargets(parsed, warnings, problems);
  const fromFiles = parsed.targets_dir
    ? targetsDirAtStart(parsed, targets, problems)
    : { names: [], problems: [], warnings: [] };
  warnings.push(...fromFiles.warnings);
  problems.push(
    ...customMetricProblems(parsed.custom_metrics, [...targets.map((t) => t.name), ...fromFiles.names]),
  );
  if (problems.length > 0) throw new ConfigError(problems);

  const config: Config = {
    ...parsed,
    targets,
    http: { ...parsed.http, host: resolveHttpHost(parsed, warnings) },
  };
  return { config, warnings, ...(file ? { file } : {}), targetFileProblems: fromFiles.problems };
}

/** targets_dir as it is at start: its targets' names, what is wrong with its files; a folder that cannot be read is an error. */
function targetsDirAtStart(
  parsed: ConfigFile,
  targets: TargetConfig[],
  problems: ConfigProblem[],
): { names: string[]; problems: ConfigProblem[]; warnings: string[] } {
  const dir = parsed.targets_dir as string;
  let readings;
  try {
    readings = readTargetsDir(dir, parsed.defaults);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push({
      path: 'targets_dir',
      message:
        code === 'ENOENT'
          ? `folder not found: ${dir}`
          : `cannot be read: ${code ?? (error as Error).message}`,
    });
    return { names: [], problems: [], warnings: [] };
  }
  const merged = mergeTargetFiles(
    targets.map((t) => t.name),
    new Map(),
    readings,
  );
  return {
    names: targetsOfFiles(merged.accepted).map((t) => t.name),
    problems: merged.problems.map((p) => ({ path: `targets_dir ${p.path}`, message: p.message })),
    warnings: readings.flatMap((r) => r.warnings),
  };
}

/** A target made at run time (the zero-config demo), with the configured defaults. */
export function targetWithDefaults(
  config: Config,
  target: { name: string; dsn: string; governorDsn?: string },
): TargetConfig {
  return {
    name: target.name,
    dsn: target.dsn,
    governorDsn: target.governorDsn ?? target.dsn,
    enabled: true,
    connection: structuredClone(config.defaults.connection),
    governor: structuredClone(config.defaults.governor),
  };
}
