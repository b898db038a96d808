// Many client sessions on one server, opened a bounded number at a time (a connect storm would
// only measure the postmaster's fork rate), closed together at the end.
import pg from 'pg';

/**
 * Opens `count` connected pg Clients, `concurrency` connects in flight at most. Every client
 * swallows its own 'error' events: sessions left waiting or sleeping are cut when the server goes.
 */
export async function openSessions(url, count, { concurrency = 32, applicationName = 'bench-app' } = {}) {
  const clients = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const client = new pg.Client({ connectionString: url, application_name: applicationName });
      client.on('error', () => undefined);
      await client.connect();
      clients.push(client);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return clients;
}

/** Starts a statement that is not meant to finish (pg_sleep, a lock wait): its end is ignored. */
export function leaveRunning(client, text) {
  client.query(text).catch(() => undefined);
}

/** Closes every client without waiting on statements still running. */
export async function closeSessions(clients) {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
}
