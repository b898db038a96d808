/** A PgBouncer database entry, as SHOW DATABASES reports it (pool_size already defaulted). */
export interface PoolDatabase {
  name: string;
  poolSize: number;
  /** Extra connections a pool may open when clients wait longer than reserve_pool_timeout. */
  reservePool: number;
  /** max_db_connections: a cap on the database's server connections, all users together; 0: none. */
  maxDbConnections: number;
  /** With force_user, every client of the database shares one pool. */
  forceUser: boolean;
}

/**
 * How many server connections PgBouncer may open to PostgreSQL. A pool exists per (database,
 * user), and each may open pool_size + reserve_pool connections; max_db_connections caps the
 * database across its pools:
 *
 *   possible = Σ over databases d of  min(max_db_connections_d or ∞, (pool_size_d + reserve_pool_d) × pools_d)
 *
 * pools_d is the number of pools of d right now (SHOW POOLS), at least 1 — a database with no
 * pool yet gets one as soon as a client connects — and exactly 1 with force_user. Pools are
 * created per user on demand, so a new user connecting raises the figure: it is the exposure as
 * of now, not a bound for ever. max_user_connections (a per-user cap across databases) and
 * per-user pool_size overrides (PgBouncer 1.23+) are not read: the figure is an upper bound.
 */
export function possibleServerConnections(databases: PoolDatabase[], poolDatabases: string[]): number {
  const poolsPerDatabase = new Map<string, number>();
  for (const database of poolDatabases)
    poolsPerDatabase.set(database, (poolsPerDatabase.get(database) ?? 0) + 1);
  let possible = 0;
  for (const d of databases) {
    const pools = d.forceUser ? 1 : Math.max(1, poolsPerDatabase.get(d.name) ?? 0);
    const open = (d.poolSize + d.reservePool) * pools;
    possible += d.maxDbConnections > 0 ? Math.min(d.maxDbConnections, open) : open;
  }
  return possible;
}
