import { Pool, PoolClient } from 'pg';
import { sqlFile } from '../sql/sql-file';

const q = (name: string) => sqlFile(`store/queries/${name}.sql`);

/** One connection of the pool for `work`; one that failed goes back broken (the pool drops it). */
export async function withClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return await work(client);
  } catch (error) {
    broken = error as Error;
    throw error;
  } finally {
    client.release(broken);
  }
}

/** `work` in a transaction on `client`: committed if it succeeds, rolled back if it throws. */
export async function inTransaction<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query(q('begin'));
  try {
    const result = await work();
    await client.query(q('commit'));
    return result;
  } catch (error) {
    await client.query(q('rollback')).catch(() => undefined);
    throw error;
  }
}
