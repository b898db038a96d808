import { IDLE_TRANSACTION_ORDER_ID } from '../schema';
import { SessionBody } from '../session';
import { pause } from './wait';

/**
 * A batch job that opens a transaction, changes a row and then sits on it for minutes ('idle in
 * transaction', holding a row lock and the xmin horizon), commits, and does it again. Its row is
 * reserved, so nothing else queues behind it.
 */
export const idleInTransaction: SessionBody = async ({ query, signal, counters }) => {
  for (;;) {
    await query('BEGIN');
    await query('UPDATE demo.orders SET updated_at = now() WHERE id = $1', [IDLE_TRANSACTION_ORDER_ID]);
    counters.bump('idleTransactions');
    await pause(120_000, 240_000, signal);
    await query('COMMIT');
    await pause(3_000, 8_000, signal);
  }
};
