import { existsSync } from 'node:fs';
import path from 'node:path';
import { SqlText } from '../contract/catalog';
import { queryVariants } from '../sql/collector-variants';
import { SQL_ROOT, sqlFile } from '../sql/sql-file';

/** Every file behind a collector query, as the catalog shows it: per-major variants, or the one plain file. */
export function sqlTextsOf(query: string): SqlText[] {
  const variants = queryVariants(query);
  if (variants.length > 0)
    return variants.map((v) => ({ major: v.major, file: v.file, text: sqlFile(v.file) }));
  const plain = `collectors/${query}.sql`;
  return existsSync(path.join(SQL_ROOT, plain)) ? [{ major: null, file: plain, text: sqlFile(plain) }] : [];
}
