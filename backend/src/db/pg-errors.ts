/** What a failed statement or connection tells: its SQLSTATE, and whether the session is gone. */

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The SQLSTATE of an error from pg; undefined for a network error (ECONNREFUSED, ...) or anything else. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && SQLSTATE.test(code) ? code : undefined;
}

/** Server shutdown (admin or crash) and "cannot connect now": the session is gone, the server may come back. */
const SHUTDOWN_CODES = new Set(['57P01', '57P02', '57P03']);

/**
 * The session is lost, not the statement wrong: a connection exception (class 08), a server
 * shutting down, or a socket error that carries no SQLSTATE.
 */
export function isConnectionLost(error: unknown): boolean {
  const code = sqlState(error) ?? '';
  return (
    code.startsWith('08') ||
    SHUTDOWN_CODES.has(code) ||
    /Connection terminated|ECONN|EPIPE/.test(String(error))
  );
}
