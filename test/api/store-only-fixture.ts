import { Client } from 'pg';
import { ALL_COLLECTORS } from '../../backend/src/collectors';
import { LatestObservations } from '../../backend/src/collectors/latest-observations';
import { inspectServer } from '../../backend/src/db/server-info';
import { openStore } from '../../backend/src/store';
import { startPostgres } from '../support/postgres';
import { createDatabase, quietLog, registry, storeConfig } from '../store/store-kit';
import { ApiFixture } from './api-fixture';

/**
 * A lighter ApiFixture for tests that stage their own observations: a real server (target and
 * history store in one), nothing collected, no sessions, no PgBouncer.
 */
export async function storeOnlyFixture(): Promise<ApiFixture> {
  const pg = await startPostgres();
  const store = await openStore(storeConfig(await createDatabase(pg, 'history')), quietLog(), registry());
  const client = new Client({ connectionString: pg.url('postgres') });
  await client.connect();
  const server = await inspectServer(client).finally(() => client.end());
  return {
    pg,
    store,
    latest: new LatestObservations(),
    server,
    collectors: ALL_COLLECTORS,
    observations: [],
    events: [],
    startedAt: Date.now(),
    async stop() {
      await store.stop();
      await pg.destroy();
    },
  };
}
