/**
 * Hard limits that protect the target database, whatever the configuration says. A value past a
 * cap is not an error (the product still starts) but it is clamped and the clamp is logged.
 */
export const MAX_CONNECTIONS_PER_TARGET = 5;
export const MIN_STATEMENT_TIMEOUT_MS = 1000;

interface CappableConnection {
  pool_max?: number;
  statement_timeout_ms?: number;
  lock_timeout_ms?: number;
}

/** Clamp pool size and statement timeout where they are set; returns the warnings. */
export function capConnection(connection: CappableConnection | undefined, keyPath: string): string[] {
  const warnings: string[] = [];
  if (!connection) return warnings;
  if (connection.pool_max !== undefined && connection.pool_max > MAX_CONNECTIONS_PER_TARGET) {
    warnings.push(
      `${keyPath}.pool_max: ${connection.pool_max} exceeds the safety cap of ${MAX_CONNECTIONS_PER_TARGET} connections per target; using ${MAX_CONNECTIONS_PER_TARGET}`,
    );
    connection.pool_max = MAX_CONNECTIONS_PER_TARGET;
  }
  if (
    connection.statement_timeout_ms !== undefined &&
    connection.statement_timeout_ms < MIN_STATEMENT_TIMEOUT_MS
  ) {
    warnings.push(
      `${keyPath}.statement_timeout_ms: ${connection.statement_timeout_ms} is below the safety floor of ${MIN_STATEMENT_TIMEOUT_MS} ms; using ${MIN_STATEMENT_TIMEOUT_MS}`,
    );
    connection.statement_timeout_ms = MIN_STATEMENT_TIMEOUT_MS;
  }
  return warnings;
}

/** After merging defaults: a lock wait may never outlast the statement that waits. */
export function capLockTimeout(
  connection: { statement_timeout_ms: number; lock_timeout_ms: number },
  keyPath: string,
): string[] {
  if (connection.lock_timeout_ms <= connection.statement_timeout_ms) return [];
  const warning = `${keyPath}.lock_timeout_ms: ${connection.lock_timeout_ms} exceeds statement_timeout_ms (${connection.statement_timeout_ms}); using ${connection.statement_timeout_ms}`;
  connection.lock_timeout_ms = connection.statement_timeout_ms;
  return [warning];
}
