import { QueryResult, QueryResultRow } from 'pg';

/** A pool or one of its clients: whatever runs a parameterised statement. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}
