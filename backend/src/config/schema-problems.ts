import Ajv, { ErrorObject } from 'ajv';
import { fieldPath } from '../lib/field-path';
import { EnvOverride } from './env-overrides';
import { ConfigProblem } from './errors';

/** The validator of every configuration schema: all errors at once, defaults filled in. */
export const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true });

/**
 * Ajv's errors as problems a person can act on: one per key, named by its path (or by the PGG_
 * variable that set it), unknown keys and "one of" choices spelled out.
 */
export function schemaProblems(errors: ErrorObject[], overrides: EnvOverride[] = []): ConfigProblem[] {
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
