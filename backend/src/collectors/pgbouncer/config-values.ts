import { MASK, maskConninfoPasswords } from '../settings/setting-values';

/**
 * auth_* settings (auth_user, auth_query, auth_file, auth_dbname, auth_hba_file, auth_ident_file,
 * and those newer versions add) say who looks passwords up and where: masked. auth_type is only
 * the method, and a change of it (to trust) is what an operator must see.
 */
const AUTH_SETTING = /^auth_/;
const VISIBLE_AUTH_SETTINGS = new Set(['auth_type']);
/** Names that say the value is a secret or a connection string (none in PgBouncer 1.18; future-proof). */
const SECRET_NAME = /pass(word|wd)?|secret|dsn|conn(info|str)/i;

/**
 * A PgBouncer setting (SHOW CONFIG) as PG Governor shows it: masked whole where it may hold or
 * point at credentials, otherwise with any connection-string password masked.
 */
export function presentPgBouncerSetting(key: string, value: string | null): string | null {
  if (value === null || value === '') return value;
  if ((AUTH_SETTING.test(key) && !VISIBLE_AUTH_SETTINGS.has(key)) || SECRET_NAME.test(key)) return MASK;
  return maskConninfoPasswords(value);
}
