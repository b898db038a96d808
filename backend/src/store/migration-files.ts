import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SQL_ROOT } from '../sql/sql-file';

/** The store's migrations: sql/store/NNN_what_it_does.sql, applied in the order of NNN. */
export const MIGRATIONS_DIR = path.join(SQL_ROOT, 'store');

const MIGRATION_FILE = /^(\d+)_[a-z0-9_-]+\.sql$/i;

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  /** sha256 of the text, to notice an applied file that was edited afterwards. */
  checksum: string;
}

/** Numbered files in version order; other files are not migrations. A repeated number is a mistake. */
export function migrationOrder(fileNames: string[]): { version: number; name: string }[] {
  const migrations = fileNames.flatMap((name) => {
    const match = MIGRATION_FILE.exec(name);
    return match ? [{ version: Number(match[1]), name }] : [];
  });
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    const [previous, current] = [migrations[i - 1], migrations[i]];
    if (previous && current && previous.version === current.version)
      throw new Error(
        `store migrations ${previous.name} and ${current.name} share version ${current.version}`,
      );
  }
  return migrations;
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return migrationOrder(readdirSync(dir)).map(({ version, name }) => {
    const sql = readFileSync(path.join(dir, name), 'utf8');
    return { version, name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}
