import path from 'node:path';
import { ConfigProblem } from './errors';
import { TargetConfig } from './schema';
import { TargetFileReading } from './target-files';

/** The targets taken from each file of targets_dir, by file. */
export type AcceptedFiles = ReadonlyMap<string, readonly TargetConfig[]>;

export interface MergedTargetFiles {
  accepted: Map<string, readonly TargetConfig[]>;
  /** Files whose reading was not taken (their last good targets stay), with why. */
  problems: ConfigProblem[];
  rejected: string[];
}

const key = (name: string) => name.toLowerCase();
const sameTargets = (a: readonly TargetConfig[] | undefined, b: readonly TargetConfig[]) =>
  a !== undefined && JSON.stringify(a) === JSON.stringify(b);

/**
 * The files' targets to run with, given what each file holds now and what was taken before. A file
 * that is bad now (YAML, schema, DSN, names repeated inside it) keeps its last good targets. A name
 * belongs to the main configuration first, then to the file that already had it, then to the first
 * file in name order: a file naming a target that belongs elsewhere is rejected whole (its last good
 * targets stay, if they still clash with nothing), so that no target is ever run twice or swapped
 * for another file's. A file gone is gone, with its targets.
 */
export function mergeTargetFiles(
  mainNames: readonly string[],
  previous: AcceptedFiles,
  readings: readonly TargetFileReading[],
): MergedTargetFiles {
  const owner = new Map<string, string>(mainNames.map((n) => [key(n), 'the main configuration']));
  const problems: ConfigProblem[] = [];
  const rejected: string[] = [];
  const accepted = new Map<string, readonly TargetConfig[]>();
  const label = (file: string) => path.basename(file);

  const good = readings.filter((r) => r.problems.length === 0);
  for (const bad of readings.filter((r) => r.problems.length > 0)) {
    problems.push(...bad.problems);
    rejected.push(bad.file);
  }
  // Files that keep what they had first (bad now, or unchanged); then the others may claim names,
  // the names they had before held for them.
  const keeping = readings.filter(
    (r) => r.problems.length > 0 || sameTargets(previous.get(r.file), r.targets),
  );
  const changing = good.filter((r) => !keeping.includes(r));
  const take = (file: string, targets: readonly TargetConfig[]) => {
    accepted.set(file, targets);
    for (const t of targets) owner.set(key(t.name), file);
  };
  const clash = (file: string, targets: readonly TargetConfig[]) =>
    targets.find((t) => {
      const holder = owner.get(key(t.name));
      return holder !== undefined && holder !== file;
    });

  for (const reading of keeping) {
    const targets = reading.problems.length > 0 ? (previous.get(reading.file) ?? []) : reading.targets;
    if (!clash(reading.file, targets)) take(reading.file, targets);
  }
  for (const reading of changing)
    for (const t of previous.get(reading.file) ?? [])
      if (reading.targets.some((n) => key(n.name) === key(t.name)) && !owner.has(key(t.name)))
        owner.set(key(t.name), reading.file);

  for (const reading of changing) {
    const taken = clash(reading.file, reading.targets);
    if (!taken) {
      take(reading.file, reading.targets);
      continue;
    }
    const holder = owner.get(key(taken.name)) as string;
    problems.push({
      path: `${label(reading.file)}: ${taken.name}`,
      message: `duplicate target name "${taken.name}": already in ${holder.startsWith('the ') ? holder : label(holder)}`,
    });
    rejected.push(reading.file);
    const before = previous.get(reading.file) ?? [];
    if (!clash(reading.file, before)) take(reading.file, before);
  }
  return { accepted, problems, rejected };
}

/** The targets of every accepted file, in file order. */
export function targetsOfFiles(accepted: AcceptedFiles): TargetConfig[] {
  return [...accepted.keys()].sort().flatMap((file) => [...(accepted.get(file) ?? [])]);
}
