import { Client } from 'pg';
import { inTransaction } from '../sql/transaction';

/**
 * The demo data: a `demo` schema in the workload's database with orders (OLTP and reports), events
 * (append-only inserts) and task_queue (a job queue whose workers move rows queued -> started ->
 * done/failed, plus a few rows 'started' hours ago that never finished, for stuck-job panels, and
 * a few finished 8 days ago, past the 7-day cleanup window, until the cleanup trims them). The
 * task queue pack (examples/packs/task-queue.yaml) reads task_queue as the monitor role.
 */

export const ORDER_COUNT = 20_000;
/** Rows that only the lock chain touches, so its blocking never spills over to the OLTP sessions. */
export const LOCK_CHAIN_ORDER_ID = 1;
/** Row that only the idle-in-transaction session touches. */
export const IDLE_TRANSACTION_ORDER_ID = 2;
/** OLTP sessions pick from ids above the reserved ones. */
export const FIRST_OLTP_ORDER_ID = 100;

export const ORDER_STATUSES = ['new', 'paid', 'shipped', 'delivered', 'cancelled'] as const;

// One lock for every process that may set up the schema at the same time (two demo starts).
const SETUP_LOCK_KEY = 'pg-governor demo workload schema';

const CREATE_STATEMENTS = [
  'CREATE SCHEMA IF NOT EXISTS demo',
  `CREATE TABLE IF NOT EXISTS demo.orders (
     id integer PRIMARY KEY,
     customer text NOT NULL,
     status text NOT NULL,
     amount numeric(10, 2) NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE TABLE IF NOT EXISTS demo.events (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     order_id integer NOT NULL,
     kind text NOT NULL,
     payload jsonb NOT NULL DEFAULT '{}',
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  'CREATE INDEX IF NOT EXISTS events_order_id_idx ON demo.events (order_id)',
  `CREATE TABLE IF NOT EXISTS demo.task_queue (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'started', 'done', 'failed')),
     created_at timestamptz NOT NULL DEFAULT now(),
     started_at timestamptz,
     finished_at timestamptz
   )`,
  // Tables made before finished_at existed (a compose volume from an earlier version).
  'ALTER TABLE demo.task_queue ADD COLUMN IF NOT EXISTS finished_at timestamptz',
  'CREATE INDEX IF NOT EXISTS task_queue_status_idx ON demo.task_queue (status, id)',
  // The task queue pack's metrics run as the monitor role, which reads no table by itself (the
  // grants a DBA makes for the pack); not there when the workload runs without PG Governor's roles.
  `DO $$
   BEGIN
     IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgg_monitor') THEN
       GRANT USAGE ON SCHEMA demo TO pgg_monitor;
       GRANT SELECT ON demo.task_queue TO pgg_monitor;
     END IF;
   END
   $$`,
];

const SEED_ORDERS = `
  INSERT INTO demo.orders (id, customer, status, amount, created_at, updated_at)
  SELECT g,
         'customer-' || (g % 1500),
         ($2::text[])[1 + g % cardinality($2::text[])],
         round((random() * 500)::numeric, 2),
         now() - make_interval(mins => g),
         now() - make_interval(mins => g)
    FROM generate_series(1, $1::int) AS g
  ON CONFLICT (id) DO NOTHING`;

// Only into an empty queue: the workers own its rows once they run. 12 stuck ('started' 2-6 hours
// ago), 24 finished 8-9 days ago (past the cleanup window), 114 finished recently, 250 queued.
const SEED_TASK_QUEUE = `
  INSERT INTO demo.task_queue (status, created_at, started_at, finished_at)
  SELECT seed.status,
         seed.created_at,
         CASE WHEN seed.status = 'queued' THEN NULL ELSE seed.created_at + interval '5 seconds' END,
         CASE WHEN seed.status IN ('done', 'failed') THEN seed.created_at + interval '8 seconds' END
    FROM (SELECT CASE WHEN g <= 12 THEN 'started'
                      WHEN g <= 130 THEN 'done'
                      WHEN g <= 150 THEN 'failed'
                      ELSE 'queued' END AS status,
                 CASE WHEN g <= 12 THEN now() - make_interval(mins => 120 + g * 20)
                      WHEN g <= 36 THEN now() - make_interval(days => 8, hours => g - 12)
                      ELSE now() - make_interval(secs => (400 - g) * 10) END AS created_at
            FROM generate_series(1, 400) AS g) AS seed
   WHERE NOT EXISTS (SELECT 1 FROM demo.task_queue)
   ORDER BY seed.created_at`;

/** Creates and seeds the demo schema; idempotent, safe to run on every start. */
export async function ensureDemoSchema(client: Client): Promise<void> {
  await inTransaction(client, async () => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SETUP_LOCK_KEY]);
    for (const statement of CREATE_STATEMENTS) await client.query(statement);
    await client.query(SEED_ORDERS, [ORDER_COUNT, [...ORDER_STATUSES]]);
    await client.query(SEED_TASK_QUEUE);
  });
}
