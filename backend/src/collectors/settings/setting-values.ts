/**
 * Setting values as PG Governor shows them: numeric ones converted to base units for the
 * `pg_setting` gauges, secrets masked before a value leaves the backend.
 */

const BYTES: Record<string, number> = { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };
const SECONDS: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, min: 60, h: 3600, d: 86400 };

/**
 * A numeric setting in base units: bytes for memory ('8kB' pages, 'kB', 'MB'), seconds for time
 * ('ms', 's', 'min'), as is without a unit. Undefined when not a number, or negative (-1 means
 * "use another setting" or "no limit", which no unit conversion can express).
 */
export function settingInBaseUnits(setting: string | null, unit: string | null): number | undefined {
  if (setting === null) return undefined;
  const value = Number(setting);
  if (setting.trim() === '' || !Number.isFinite(value) || value < 0) return undefined;
  if (!unit) return value;
  const match = /^(\d*)\s*([a-zA-Z]+)$/.exec(unit);
  if (!match) return undefined;
  const multiple = match[1] ? Number(match[1]) : 1;
  const factor = BYTES[match[2] as string] ?? SECONDS[match[2] as string];
  return factor === undefined ? undefined : value * multiple * factor;
}

/** Settings whose whole value is a secret (a command that may carry a passphrase). */
const SECRET_SETTINGS = new Set(['ssl_passphrase_command']);
/** password=... inside a connection string (primary_conninfo), quoted or not. */
const CONNINFO_PASSWORD = /(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s]+)/gi;
export const MASK = '********';

/** The value as shown in snapshots: primary_conninfo without its password, secret commands hidden. */
export function presentSetting(name: string, setting: string | null): string | null {
  if (setting === null || setting === '') return setting;
  if (SECRET_SETTINGS.has(name)) return MASK;
  return maskConninfoPasswords(setting);
}

/** A text with the password of any connection string in it masked (password=..., quoted or not). */
export function maskConninfoPasswords(text: string): string {
  return text.replace(CONNINFO_PASSWORD, `$1${MASK}`);
}
