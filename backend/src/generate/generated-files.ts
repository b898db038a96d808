import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A file the repository ships, generated from code (alerting files, dashboards). */
export interface GeneratedFile {
  /** Relative to the output folder (the repository root by default). */
  path: string;
  content: string;
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The paths of the files whose copy under `out` differs from what would be written (or is missing). */
export function staleFiles(files: GeneratedFile[], out: string): string[] {
  return files.filter((f) => readOrUndefined(path.join(out, f.path)) !== f.content).map((f) => f.path);
}

/**
 * Writes the files under `out`, or with `check` writes nothing and names each file that differs
 * from what would be written (CI fails on stale files). Returns how many differ.
 */
export function writeGeneratedFiles(
  files: GeneratedFile[],
  out: string,
  options: { check: boolean; command: string },
): number {
  if (options.check) {
    const stale = staleFiles(files, out);
    for (const file of stale) console.error(`${file} is not up to date: run ${options.command}`);
    return stale.length;
  }
  for (const file of files) {
    const target = path.join(out, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    console.log(`wrote ${path.relative(process.cwd(), target) || target}`);
  }
  return 0;
}
