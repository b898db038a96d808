import { existsSync } from 'node:fs';
import path from 'node:path';
import { queryVariants } from '../collectors/sql-variants';
import { SQL_ROOT, sqlFile } from '../sql/sql-file';

export interface SqlText {
  /** First PostgreSQL major the file is for; null for files that are not per version (PgBouncer's SHOW). */
  major: number | null;
  /** Path under sql/. */
  file: string;
  text: string;
}

/** Every file behind a collector query, as the catalog shows it: per-major variants, or the one plain file. */
export function sqlTextsOf(query: string): SqlText[] {
  const variants = queryVariants(query);
  if (variants.length > 0)
    return variants.map((v) => ({ major: v.major, file: v.file, text: sqlFile(v.file) }));
  const plain = `collectors/${query}.sql`;
  return existsSync(path.join(SQL_ROOT, plain)) ? [{ major: null, file: plain, text: sqlFile(plain) }] : [];
}
