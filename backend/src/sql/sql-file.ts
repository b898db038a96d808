import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Every statement the product runs lives in the repository's sql/ folder. backend/src and
 * backend/dist sit at the same depth, so the folder resolves the same from source and build.
 */
export const SQL_ROOT = path.resolve(__dirname, '..', '..', '..', 'sql');

const cache = new Map<string, string>();

/** Text of sql/<relativePath>, read once. */
export function sqlFile(relativePath: string): string {
  let text = cache.get(relativePath);
  if (text === undefined) {
    text = readFileSync(path.join(SQL_ROOT, relativePath), 'utf8');
    cache.set(relativePath, text);
  }
  return text;
}
