import { TSchema } from '@sinclair/typebox';
import { ConfigProblem } from './errors';

/**
 * PGG_* environment variables override the file (env wins). Two spellings:
 * - a few well-known names (PGG_TARGET_URL, PGG_STORE_URL, PGG_HTTP_PORT, ...);
 * - any key by its path, segments joined by a double underscore: PGG_LOOPS__HOT__INTERVAL_S=5,
 *   PGG_TARGETS__MAIN__GOVERNOR__MODE=enforce (a target is addressed by its name).
 * Values are strings; they are converted to the type the schema expects at that key.
 */

export const ALIASES: Readonly<Record<string, string>> = {
  PGG_STORE_URL: 'store__url',
  PGG_HTTP_HOST: 'http__host',
  PGG_HTTP_PORT: 'http__port',
  PGG_LOG_LEVEL: 'log__level',
  PGG_READ_TOKENS: 'auth__read_tokens',
  PGG_ADMIN_TOKENS: 'auth__admin_tokens',
  PGG_MEMORY_LIMIT_MB: 'memory__limit_mb',
  PGG_DATA_DIR: 'embedded__data_dir',
  PGG_TARGETS_DIR: 'targets_dir',
};

/** Read by the loader itself rather than mapped to a key. */
export const NOT_KEYS = new Set(['PGG_CONFIG', 'PGG_TARGET_URL', 'PGG_TARGET_NAME']);
/** Reserved for the test suite (e.g. PGG_TEST_MAJORS); never configuration. */
const TEST_PREFIX = 'PGG_TEST_';

export const DEFAULT_ENV_TARGET_NAME = 'main';

export interface EnvOverride {
  variable: string;
  /** Key path in the file's shape; a target is addressed by index once resolved. */
  path: (string | number)[];
  value: unknown;
}

type RawConfig = Record<string, unknown>;

function childSchema(schema: TSchema, key: string): TSchema | undefined {
  if (schema.type === 'object' && schema.properties)
    return (schema.properties as Record<string, TSchema>)[key];
  return undefined;
}

function convert(raw: string, schema: TSchema): unknown {
  const type = schema.type ?? (schema.anyOf ? 'string' : undefined);
  if (type === 'integer' || type === 'number') {
    const n = Number(raw.trim());
    return raw.trim() === '' || Number.isNaN(n) ? raw : n;
  }
  if (type === 'boolean') {
    const v = raw.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    return raw;
  }
  if (type === 'array') {
    return raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '')
      .map((item) => convert(item, schema.items as TSchema));
  }
  return raw;
}

function targetIndex(raw: RawConfig, name: string): number {
  const targets = Array.isArray(raw.targets) ? (raw.targets as { name?: unknown }[]) : [];
  return targets.findIndex((t) => typeof t?.name === 'string' && t.name.toLowerCase() === name.toLowerCase());
}

/** Resolve one PGG_ variable to a key path and a typed value, against the (file) config it overrides. */
function resolve(
  variable: string,
  value: string,
  raw: RawConfig,
  fileSchema: TSchema,
): EnvOverride | ConfigProblem {
  const spelled = ALIASES[variable] ?? variable.slice('PGG_'.length);
  const segments = spelled.toLowerCase().split('__');
  // A top-level key is reached by its alias only (PGG_TARGETS_DIR).
  if ((!spelled.includes('__') && !ALIASES[variable]) || segments.some((s) => s === '')) {
    return { path: variable, message: 'unknown PGG_ variable (nested keys are written PGG_SECTION__KEY)' };
  }
  const path: (string | number)[] = [];
  let schema: TSchema | undefined = fileSchema;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    if (schema?.type === 'array' && path.length === 1 && path[0] === 'targets') {
      const index = targetIndex(raw, segment);
      if (index < 0) return { path: variable, message: `no target named "${segment}" to override` };
      path.push(index);
      schema = schema.items as TSchema;
      continue;
    }
    schema = schema ? childSchema(schema, segment) : undefined;
    // Optional target sections are written as objects without defaults; anyOf never appears here.
    if (!schema)
      return { path: variable, message: `unknown configuration key ${segments.slice(0, i + 1).join('.')}` };
    path.push(segment);
  }
  if (schema?.type === 'object')
    return { path: variable, message: `${segments.join('.')} is a section, not a value` };
  return { variable, path, value: convert(value, schema as TSchema) };
}

export interface EnvResult {
  overrides: EnvOverride[];
  problems: ConfigProblem[];
  /** PGG_TARGET_URL, when set. */
  targetUrl?: { name: string; dsn: string };
}

/** The PGG_ variables of env as overrides of raw, each a key of the file's schema. */
export function readEnvOverrides(env: NodeJS.ProcessEnv, raw: RawConfig, fileSchema: TSchema): EnvResult {
  const overrides: EnvOverride[] = [];
  const problems: ConfigProblem[] = [];
  for (const [variable, value] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    if (!variable.startsWith('PGG_') || variable.startsWith(TEST_PREFIX) || NOT_KEYS.has(variable)) continue;
    if (value === undefined) continue;
    const resolved = resolve(variable, value, raw, fileSchema);
    if ('variable' in resolved) overrides.push(resolved);
    else problems.push(resolved);
  }
  const url = env.PGG_TARGET_URL;
  const targetUrl = url ? { name: env.PGG_TARGET_NAME || DEFAULT_ENV_TARGET_NAME, dsn: url } : undefined;
  return { overrides, problems, targetUrl };
}

/** Write each override into the raw config, creating sections as needed. */
export function applyOverrides(raw: RawConfig, overrides: EnvOverride[]): void {
  for (const { path, value } of overrides) {
    let node: Record<string | number, unknown> = raw;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (typeof next !== 'object' || next === null) node[key] = {};
      node = node[key] as Record<string | number, unknown>;
    }
    node[path[path.length - 1] as string | number] = value;
  }
}

/** PGG_TARGET_URL replaces the DSN of the target with that name, or adds the target. */
export function applyTargetUrl(raw: RawConfig, target: { name: string; dsn: string }): void {
  const targets = Array.isArray(raw.targets) ? (raw.targets as Record<string, unknown>[]) : [];
  const index = targetIndex(raw, target.name);
  if (index >= 0) (targets[index] as Record<string, unknown>).dsn = target.dsn;
  else targets.push({ name: target.name, dsn: target.dsn });
  raw.targets = targets;
}
