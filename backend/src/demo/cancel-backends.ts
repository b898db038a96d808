import { Client } from 'pg';
import { closeClient } from './client-close';
import { errorMessage, WorkloadLog } from './workload-log';

// Re-checked on the server: only our demo sessions are ever signalled, even if a pid was reused.
const CANCEL = `
  SELECT pg_cancel_backend(pid)
    FROM pg_stat_activity
   WHERE pid = ANY($1::int[]) AND application_name LIKE 'demo-%' AND usename = current_user`;

/**
 * Cancels whatever the given demo backends are running. Closing a socket does not stop a backend
 * that is inside pg_sleep or waiting on a lock; it would linger until that ends. Best effort: a
 * server that is down has no such backends left.
 */
export async function cancelBackends(url: string, pids: number[], log: WorkloadLog): Promise<void> {
  if (pids.length === 0) return;
  const client = new Client({
    connectionString: url,
    application_name: 'demo-batch',
    connectionTimeoutMillis: 1_000,
    query_timeout: 1_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(CANCEL, [pids]);
  } catch (error) {
    log.warn({ error: errorMessage(error) }, 'demo workload: could not cancel statements in flight');
  } finally {
    await closeClient(client);
  }
}
