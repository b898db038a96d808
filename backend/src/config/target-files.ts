import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ValidateFunction } from 'ajv';
import { joinPath } from '../lib/field-path';
import { ConfigProblem } from './errors';
import { FileTarget, resolveTarget, TargetDefaults } from './resolve-target';
import { ajv, schemaProblems } from './schema-problems';
import { TargetConfig, TargetSchema } from './schema';
import { parseYaml } from './yaml-text';

/** One file of targets_dir as read now: its targets, or what is wrong with it. */
export interface TargetFileReading {
  file: string;
  /** Resolved (defaults merged, caps applied); empty when the file has problems. */
  targets: TargetConfig[];
  /** Each path starts with the file's name: `fleet.yaml: targets[1].dsn`. */
  problems: ConfigProblem[];
  warnings: string[];
}

const TARGET_FILE = /\.ya?ml$/i;

let validateTarget: ValidateFunction<FileTarget> | undefined;

/** The entries of a file: one target, a list of them, or `targets:` with a list. */
function entriesOf(value: unknown): { entries: unknown[]; base: string; single?: boolean } | string {
  if (value === null || value === undefined) return { entries: [], base: 'targets' };
  if (Array.isArray(value)) return { entries: value, base: '' };
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'targets') {
      const list = (value as { targets: unknown }).targets;
      if (list === null) return { entries: [], base: 'targets' };
      if (Array.isArray(list)) return { entries: list, base: 'targets' };
      return '`targets` must be a list of targets';
    }
    if ('name' in value || 'dsn' in value) return { entries: [value], base: '', single: true };
  }
  return 'expected a target (name, dsn, ...), a list of targets, or `targets:` with a list';
}

/**
 * Reads one file of targets with the checks of the main configuration's targets: the schema
 * (unknown keys, types), DSNs that are URLs, thresholds that rise, names not repeated (in any
 * case); defaults merged and the safety caps applied.
 */
export function parseTargetFile(file: string, text: string, defaults: TargetDefaults): TargetFileReading {
  const name = path.basename(file);
  const fail = (problems: ConfigProblem[]): TargetFileReading => ({
    file,
    targets: [],
    problems: problems.map((p) => ({ path: p.path ? `${name}: ${p.path}` : name, message: p.message })),
    warnings: [],
  });
  const { value, errors } = parseYaml(text);
  if (errors.length > 0) return fail(errors.map((message) => ({ path: '', message })));
  const shape = entriesOf(value);
  if (typeof shape === 'string') return fail([{ path: '', message: shape }]);

  validateTarget ??= ajv.compile<FileTarget>(TargetSchema);
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  const targets: TargetConfig[] = [];
  const seen = new Set<string>();
  shape.entries.forEach((entry, i) => {
    const at = shape.single ? '' : joinPath(shape.base, `[${i}]`);
    if (!validateTarget?.(entry)) {
      for (const p of schemaProblems(validateTarget?.errors ?? []))
        problems.push({ path: p.path === '(top level)' ? at : joinPath(at, p.path), message: p.message });
      return;
    }
    const key = entry.name.toLowerCase();
    if (seen.has(key))
      problems.push({ path: joinPath(at, 'name'), message: `duplicate target name "${entry.name}"` });
    seen.add(key);
    targets.push(resolveTarget(entry, defaults, at, warnings, problems));
  });
  if (problems.length > 0) return fail(problems);
  return { file, targets, problems: [], warnings: warnings.map((w) => `${name}: ${w}`) };
}

/** Every target file of the folder (*.yaml, *.yml; not below it), in name order. Throws if the folder cannot be read. */
export function readTargetsDir(dir: string, defaults: TargetDefaults): TargetFileReading[] {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && TARGET_FILE.test(e.name) && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  return names.flatMap((name) => {
    const file = path.join(dir, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      // Removed since the listing: as if it had not been listed.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      return {
        file,
        targets: [],
        problems: [
          {
            path: name,
            message: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
          },
        ],
        warnings: [],
      };
    }
    return [parseTargetFile(file, text, defaults)];
  });
}
