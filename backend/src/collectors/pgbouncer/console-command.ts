import { sqlFile } from '../../sql/sql-file';

const cache = new Map<string, string>();

/**
 * The command of sql/collectors/<name>.sql as PgBouncer's admin console takes it: the console
 * rejects comments, so the file's `--` header lines (what it is for, why) are left out, and so is
 * a trailing semicolon.
 */
export function consoleCommand(name: string): string {
  let command = cache.get(name);
  if (command === undefined) {
    command = sqlFile(`collectors/${name}.sql`)
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('--'))
      .join('\n')
      .trim()
      .replace(/;$/, '');
    if (!/^SHOW [A-Z_]+$/.test(command))
      throw new Error(`sql/collectors/${name}.sql is not a PgBouncer SHOW command`);
    cache.set(name, command);
  }
  return command;
}
