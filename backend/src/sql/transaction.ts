/** What runs statements: a pg Client or PoolClient. */
export interface StatementRunner {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/**
 * `work` in a transaction on `client`: committed if it succeeds, rolled back if it throws (the
 * rollback's own failure is ignored: the connection is broken then, and the error that matters
 * is `work`'s). Transaction control is a keyword, not a query, so it has no file in sql/.
 */
export async function inTransaction<T>(
  client: StatementRunner,
  work: () => Promise<T>,
  options: { readOnly?: boolean } = {},
): Promise<T> {
  await client.query(options.readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
