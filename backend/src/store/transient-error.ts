import { sqlState } from '../db/pg-errors';

/**
 * Whether a failed store write should be retried with the data kept (the store is down,
 * restarting, overloaded, or a lock or serialization conflict), rather than dropped as a batch
 * the store will never accept (a data error).
 */
const TRANSIENT_CLASSES = new Set([
  '08', // connection exception
  '40', // transaction rollback: serialization failure, deadlock
  '53', // insufficient resources: too many connections, disk full
  '57', // operator intervention: shutdown, statement timeout
  '58', // system error (I/O)
]);

const TRANSIENT_CODES = new Set([
  '55P03', // lock_not_available: lock_timeout of the partition maintenance
  '55006', // object_in_use
  '23514', // no partition for the row (dropped or not made yet): the writer makes it and retries
  '25006', // read_only_sql_transaction: the store is a standby until a failover completes
]);

export function isTransientStoreError(error: unknown): boolean {
  // Our own bugs (serialising a value) would fail forever: never retry those.
  if (error instanceof TypeError || error instanceof RangeError) return false;
  const code = sqlState(error);
  // No SQLSTATE: a network error (ECONNREFUSED, ...), a lost connection or a connect timeout.
  if (code === undefined) return true;
  return TRANSIENT_CLASSES.has(code.slice(0, 2)) || TRANSIENT_CODES.has(code);
}
