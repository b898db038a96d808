import { readdirSync } from 'node:fs';
import path from 'node:path';
import { SQL_ROOT } from '../sql/sql-file';

/**
 * Collector SQL is written per PostgreSQL version range, as files named
 * sql/collectors/<query>.pg<N>.sql where N is the first major the file is for (as in pgwatch's
 * metric folders). A server of major M runs the file with the highest N <= M. Query names are
 * kebab-case, as the collector folders (collectors/naming.test.ts).
 */
const FILE_NAME = /^(?<query>[a-z0-9]+(?:-[a-z0-9]+)*)\.pg(?<major>\d+)\.sql$/;

let index: Map<string, { major: number; file: string }[]> | undefined;

function variantsIndex(): Map<string, { major: number; file: string }[]> {
  if (index) return index;
  index = new Map();
  for (const file of readdirSync(path.join(SQL_ROOT, 'collectors')).sort()) {
    const match = FILE_NAME.exec(file);
    if (!match?.groups) continue;
    const list = index.get(match.groups.query as string) ?? [];
    list.push({ major: Number(match.groups.major), file: `collectors/${file}` });
    list.sort((a, b) => a.major - b.major);
    index.set(match.groups.query as string, list);
  }
  return index;
}

/** Every variant of a query: [{ major: 14, file: 'collectors/x.pg14.sql' }, ...], oldest first. */
export function queryVariants(query: string): { major: number; file: string }[] {
  return variantsIndex().get(query) ?? [];
}

/** The sql/ path of the variant for a server, or undefined when none covers that major. */
export function queryFileFor(query: string, major: number): string | undefined {
  const variants = queryVariants(query);
  if (variants.length === 0) throw new Error(`no SQL file for collector query "${query}" in sql/collectors`);
  return [...variants].reverse().find((v) => v.major <= major)?.file;
}
