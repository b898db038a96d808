import { chance, pick, randomInt } from '../random';
import { FIRST_OLTP_ORDER_ID, ORDER_COUNT, ORDER_STATUSES } from '../schema';
import { SessionBody, SessionContext } from '../session';
import { pause } from './wait';

/** Events kept; older ones are deleted now and then so the table stays small. */
const EVENTS_KEPT = 50_000;

const randomOrderId = () => randomInt(FIRST_OLTP_ORDER_ID, ORDER_COUNT);

async function oneStatement({ query }: SessionContext): Promise<void> {
  const roll = Math.random();
  if (roll < 0.5) {
    await query('SELECT id, customer, status, amount FROM demo.orders WHERE id = $1', [randomOrderId()]);
  } else if (roll < 0.75) {
    await query('UPDATE demo.orders SET status = $2, updated_at = now() WHERE id = $1', [
      randomOrderId(),
      pick(ORDER_STATUSES),
    ]);
  } else {
    await query('INSERT INTO demo.events (order_id, kind, payload) VALUES ($1, $2, $3)', [
      randomOrderId(),
      pick(['viewed', 'paid', 'shipped', 'refunded'] as const),
      JSON.stringify({ source: 'demo-web' }),
    ]);
  }
}

/**
 * Short web-request statements on orders and events, about 1.5 a second per session: mostly idle
 * between them, so CPU stays low while the statement statistics keep moving.
 */
export const oltp: SessionBody = async (session) => {
  for (;;) {
    await oneStatement(session);
    session.counters.bump('oltpStatements');
    if (chance(0.002)) {
      await session.query('DELETE FROM demo.events WHERE id < (SELECT max(id) - $1 FROM demo.events)', [
        EVENTS_KEPT,
      ]);
    }
    await pause(400, 900, session.signal);
  }
};
