import { quoteIdent, quoteLiteral } from '../quote';

/**
 * Signals a session only if it is still the one the finding saw (same pid and backend start): a
 * pid reused by a new backend since is left alone.
 */
export function signalSession(
  fn: 'pg_cancel_backend' | 'pg_terminate_backend',
  pid: number,
  backendStartUs: string | undefined,
): string {
  const pidText = String(Math.trunc(pid));
  if (backendStartUs === undefined || !/^\d+$/.test(backendStartUs)) return `SELECT ${fn}(${pidText});`;
  return (
    `SELECT ${fn}(pid) FROM pg_stat_activity WHERE pid = ${pidText}` +
    ` AND (extract(epoch FROM backend_start) * 1000000)::bigint = ${backendStartUs};`
  );
}

/** A per-role default, so that the next such session ends on its own. */
export function roleSetting(role: string | undefined, setting: string, value: string): string[] {
  return role ? [`ALTER ROLE ${quoteIdent(role)} SET ${setting} = ${quoteLiteral(value)};`] : [];
}
