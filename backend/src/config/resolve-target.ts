import { joinPath } from '../lib/field-path';
import { ConfigProblem } from './errors';
import { regexSource } from './name-pattern';
import { capConnection, capLockTimeout } from './safety-caps';
import { ConfigFile, GovernorSettings, TargetConfig } from './schema';

/** A target as a file writes it (the main configuration or a file of targets_dir). */
export type FileTarget = ConfigFile['targets'][number];

/** The defaults every target starts from. */
export type TargetDefaults = ConfigFile['defaults'];

export function mergeDeep<T>(base: T, override: unknown): T {
  if (override === undefined) return structuredClone(base);
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return structuredClone(override) as T;
  const out: Record<string, unknown> = structuredClone(base) as Record<string, unknown>;
  for (const [key, value] of Object.entries(override as Record<string, unknown>)) {
    out[key] = key in out ? mergeDeep(out[key], value) : structuredClone(value);
  }
  return out as T;
}

export function dsnProblems(dsn: string, path: string): ConfigProblem[] {
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

export function governorProblems(governor: GovernorSettings, path: string): ConfigProblem[] {
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

/**
 * A target with the defaults merged in and the safety caps applied; what is wrong with it is
 * pushed onto problems (DSNs that are no URL, thresholds that do not rise), caps onto warnings.
 * `path` names the target in both (e.g. targets[2]).
 */
export function resolveTarget(
  target: FileTarget,
  defaults: TargetDefaults,
  path: string,
  warnings: string[],
  problems: ConfigProblem[],
): TargetConfig {
  problems.push(...dsnProblems(target.dsn, joinPath(path, 'dsn')));
  if (target.governor_dsn) problems.push(...dsnProblems(target.governor_dsn, joinPath(path, 'governor_dsn')));
  if (target.pgbouncer) problems.push(...dsnProblems(target.pgbouncer.dsn, joinPath(path, 'pgbouncer.dsn')));
  warnings.push(...capConnection(target.connection, joinPath(path, 'connection')));
  const connection = mergeDeep(defaults.connection, target.connection);
  warnings.push(
    ...capLockTimeout(connection, target.connection ? joinPath(path, 'connection') : 'defaults.connection'),
  );
  const governor = mergeDeep(defaults.governor, target.governor);
  if (target.governor) problems.push(...governorProblems(governor, joinPath(path, 'governor')));
  return {
    name: target.name,
    dsn: target.dsn,
    governorDsn: target.governor_dsn ?? target.dsn,
    enabled: target.enabled,
    connection,
    governor,
    ...(target.pgbouncer ? { pgbouncer: target.pgbouncer } : {}),
  };
}
