import { LOCK_CHAIN_ORDER_ID } from '../schema';
import { SessionBody } from '../session';
import { pause } from './wait';

const TOUCH_ROW = 'UPDATE demo.orders SET updated_at = now() WHERE id = $1';

/**
 * Blocker of the lock chain: takes the reserved row's lock in a transaction and holds it for
 * 30-60 s, then commits and takes it again half a second later.
 */
export const lockHolder: SessionBody = async ({ query, signal, counters }) => {
  for (;;) {
    await query('BEGIN');
    await query(TOUCH_ROW, [LOCK_CHAIN_ORDER_ID]);
    counters.bump('lockHolds');
    await pause(30_000, 60_000, signal);
    await query('COMMIT');
    await pause(500, 500, signal);
  }
};

/**
 * Blocked side of the lock chain: updates the same row and waits on the holder's lock (wait event
 * Lock/transactionid, pg_blocking_pids = the holder). When it gets through it pauses longer than
 * the holder does, so the holder is first again and there is nearly always a chain to see.
 */
export const lockWaiter: SessionBody = async ({ query, signal, counters }) => {
  for (;;) {
    await pause(2_000, 3_000, signal);
    await query(TOUCH_ROW, [LOCK_CHAIN_ORDER_ID]);
    counters.bump('lockWaits');
  }
};
