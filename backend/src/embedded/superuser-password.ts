import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The superuser password of a persistent embedded server (demo, history store) is fixed at
 * initdb, so it is kept beside the data folder in a file only the owner can read (0600).
 */
export function superuserPassword(dir: string): string {
  const file = path.join(dir, 'superuser-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}
