/* global console */
// Many tables for a bench database, as bench/storage.bench.mjs makes them: each with an index and
// 0..96 rows, 500 to a DO block (one transaction each: bounded lock table use; the server needs
// max_locks_per_transaction >= 1024 at max_connections 20).
import pg from 'pg';

const BATCH = 500;

/** Creates t_1 .. t_<tables> in the client's database, logging progress under `label`. */
export async function createTables(client, tables, label = 'bench') {
  for (let from = 1; from <= tables; from += BATCH) {
    const to = Math.min(tables, from + BATCH - 1);
    await client.query(`DO $$ BEGIN FOR i IN ${from}..${to} LOOP
      EXECUTE format('CREATE TABLE t_%s (id int, v text)', i);
      EXECUTE format('CREATE INDEX t_%s_v ON t_%s (v)', i, i);
      EXECUTE format('INSERT INTO t_%s SELECT g, md5(g::text) FROM generate_series(1, %s) g', i, i % 97);
    END LOOP; END $$`);
    if (to % 5000 === 0 || to === tables) console.error(`[${label}] ${to} tables`);
  }
}

/** Server settings the table creation needs. */
export const MANY_TABLES_SETTINGS = { max_locks_per_transaction: 1024 };

/** `count` distinct pg_stat_statements entries: one count(*) of each of t_1 .. t_<count>. */
export async function queryTables(client, count) {
  for (let i = 1; i <= count; i++) await client.query(`SELECT count(*) FROM t_${i}`);
}

/**
 * A database `bench` on the server with pg_stat_statements, <tables> tables (then VACUUM ANALYZE)
 * and min(statements, tables) distinct pg_stat_statements entries. Returns a superuser pg.Client
 * connected to it; the caller ends it.
 */
export async function createTablesDatabase(server, { tables, statements, label }) {
  const setup = new pg.Client({ connectionString: server.url() });
  await setup.connect();
  try {
    await setup.query('CREATE DATABASE bench');
  } finally {
    await setup.end();
  }
  const admin = new pg.Client({ connectionString: server.url('bench') });
  await admin.connect();
  try {
    await admin.query('CREATE EXTENSION pg_stat_statements');
    const start = Date.now();
    await createTables(admin, tables, label);
    await admin.query('VACUUM ANALYZE');
    const queried = Math.min(statements, tables);
    await queryTables(admin, queried);
    console.error(
      `[${label}] ${tables} tables, VACUUM ANALYZE, ${queried} statements in ${((Date.now() - start) / 1000).toFixed(1)} s`,
    );
    return admin;
  } catch (error) {
    await admin.end().catch(() => undefined);
    throw error;
  }
}
