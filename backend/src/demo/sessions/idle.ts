import { randomInt } from '../random';
import { FIRST_OLTP_ORDER_ID, ORDER_COUNT } from '../schema';
import { SessionBody } from '../session';
import { pause, untilAborted } from './wait';

const LOOKUP = 'SELECT id, status, amount FROM demo.orders WHERE id = $1';

/**
 * A pooled application connection that is used now and then: idle, with a recent state change.
 */
export const recentlyUsedIdle: SessionBody = async ({ query, signal }) => {
  for (;;) {
    await query(LOOKUP, [randomInt(FIRST_OLTP_ORDER_ID, ORDER_COUNT)]);
    await pause(10_000, 30_000, signal);
  }
};

/**
 * A connection that was used once and then forgotten: idle for as long as it lives, the kind the
 * governor reclaims first.
 */
export const longIdle: SessionBody = async ({ query, signal }) => {
  await query(LOOKUP, [randomInt(FIRST_OLTP_ORDER_ID, ORDER_COUNT)]);
  await untilAborted(signal);
};
