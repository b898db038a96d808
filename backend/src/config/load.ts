import { existsSync, readFileSync } from 'node:fs';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { parseDocument } from 'yaml';
import { fieldPath } from '../lib/field-path';
import { ConfigurableAlert } from './alerts-schema';
import { ConfigurableFinding } from './findings-schema';
import { customMetricProblems } from './custom-metrics';
import { readCustomMetricsFiles } from './custom-metrics-files';
import { regexSource } from './name-pattern';
import { ConfigError, ConfigProblem } from './errors';
import { applyOverrides, applyTargetUrl, EnvOverride, readEnvOverrides } from './env-overrides';
import { capConnection, capLockTimeout } from './safety-caps';
import { Config, ConfigFile, configFileSchema, GovernorSettings, TargetConfig } from './schema';

export interface LoadedConfig {
  config: Config;
  /** Safety caps applied and other adjustments: log each at warn. */
  warnings: string[];
  file?: string;
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

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true });

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
  const doc = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => ({
        path: file,
        message: `invalid YAML: ${e.message.split('\n')[0]?.replace(/:$/, '')}`,
      })),
    );
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError([{ path: file, message: 'the top level must be a mapping of keys' }]);
  }
  return value as Raw;
}

function schemaProblems(errors: ErrorObject[], overrides: EnvOverride[]): ConfigProblem[] {
  const byPath = new Map<string, string>();
  for (const error of errors) {
    let path = fieldPath(error.instancePath);
    let message = error.message ?? 'invalid';
    if (error.keyword === 'additionalProperties') {
      path = [path, String(error.params.additionalProperty)].filter(Boolean).join('.');
      message = 'unknown key';
    } else if (error.keyword === 'anyOf') {
      const allowed = (error.schema as { const?: unknown }[])
        .map((s) => s.const)
        .filter((c) => c !== undefined);
      message = `must be one of: ${allowed.join(', ')}`;
    } else if (error.keyword === 'const' && error.schemaPath.includes('anyOf')) {
      continue; // summarised by the anyOf error of the same key
    }
    // The most useful message per key: the anyOf summary beats its branches.
    if (!byPath.has(path) || error.keyword === 'anyOf') byPath.set(path, message);
  }
  const variableOf = (path: string) =>
    overrides.find((o) => {
      const overridden = fieldPath(`/${o.path.join('/')}`);
      return path === overridden || path.startsWith(`${overridden}[`);
    });
  return [...byPath.entries()].map(([path, message]) => {
    const override = variableOf(path);
    return { path: override ? `${override.variable} (${path || 'config'})` : path || '(top level)', message };
  });
}

function mergeDeep<T>(base: T, override: unknown): T {
  if (override === undefined) return structuredClone(base);
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return structuredClone(override) as T;
  const out: Record<string, unknown> = structuredClone(base) as Record<string, unknown>;
  for (const [key, value] of Object.entries(override as Record<string, unknown>)) {
    out[key] = key in out ? mergeDeep(out[key], value) : structuredClone(value);
  }
  return out as T;
}

function dsnProblems(dsn: string, path: string): ConfigProblem[] {
  // node-postgres understands URLs only (not libpq's key=value form).
  if (!/^postgres(ql)?:\/\//.test(dsn))
    return [{ path, message: 'must be a postgres:// or postgresql:// URL' }];
  try {
    const url = new URL(dsn);
    if (!url.hostname && !url.searchParams.get('host')) return [{ path, message: 'names no host' }];
  } catch {
    return [{ path, message: 'is not a valid URL (percent-encode special characters in the password)' }];
  }
  return [];
}

function governorProblems(governor: GovernorSettings, path: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { warn, optimize, critical } = governor.thresholds;
  if (!(warn < optimize && optimize < critical)) {
    problems.push({
      path: `${path}.thresholds`,
      message: `must rise: warn (${warn}) < optimize (${optimize}) < critical (${critical})`,
    });
  }
  for (const [kind, entries] of Object.entries(governor.protected)) {
    entries.forEach((entry, i) => {
      const source = regexSource(entry);
      if (source !== undefined) {
        try {
          new RegExp(source);
        } catch (e) {
          problems.push({
            path: `${path}.protected.${kind}[${i}]`,
            message: `invalid regular expression: ${(e as Error).message}`,
          });
        }
      }
    });
  }
  return problems;
}

function resolveTargets(file: ConfigFile, warnings: string[], problems: ConfigProblem[]): TargetConfig[] {
  const seen = new Set<string>();
  return file.targets.map((target, i) => {
    const path = `targets[${i}]`;
    if (seen.has(target.name.toLowerCase()))
      problems.push({ path: `${path}.name`, message: `duplicate target name "${target.name}"` });
    seen.add(target.name.toLowerCase());
    problems.push(...dsnProblems(target.dsn, `${path}.dsn`));
    if (target.governor_dsn) problems.push(...dsnProblems(target.governor_dsn, `${path}.governor_dsn`));
    if (target.pgbouncer) problems.push(...dsnProblems(target.pgbouncer.dsn, `${path}.pgbouncer.dsn`));
    warnings.push(...capConnection(target.connection, `${path}.connection`));
    const connection = mergeDeep(file.defaults.connection, target.connection);
    warnings.push(
      ...capLockTimeout(connection, target.connection ? `${path}.connection` : 'defaults.connection'),
    );
    const governor = mergeDeep(file.defaults.governor, target.governor);
    if (target.governor) problems.push(...governorProblems(governor, `${path}.governor`));
    return {
      name: target.name,
      dsn: target.dsn,
      governorDsn: target.governor_dsn ?? target.dsn,
      enabled: target.enabled,
      connection,
      governor,
      ...(target.pgbouncer ? { pgbouncer: target.pgbouncer } : {}),
    };
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
  const targets = resolveTargets(parsed, warnings, problems);
  problems.push(
    ...customMetricProblems(
      parsed.custom_metrics,
      targets.map((t) => t.name),
    ),
  );
  if (problems.length > 0) throw new ConfigError(problems);

  const config: Config = {
    ...parsed,
    targets,
    http: { ...parsed.http, host: resolveHttpHost(parsed, warnings) },
  };
  return { config, warnings, ...(file ? { file } : {}) };
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
