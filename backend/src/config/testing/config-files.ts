import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../errors';

/** Unit tests only: configuration files in a temporary folder, removed after the suite. */
export function configFolder(prefix: string) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let count = 0;
  /** Writes `text` at `relative` under the folder (creating its folders); returns the path. */
  const write = (relative: string, text: string): string => {
    const file = path.join(dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  };
  return { dir, write, yamlFile: (text: string) => write(`config-${count++}.yaml`, text) };
}

/** The problems a load reports, as "path: message" lines; fails when it loads. */
export function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}
