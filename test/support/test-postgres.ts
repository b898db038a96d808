import { Client, escapeIdentifier, escapeLiteral, QueryResultRow } from 'pg';
import type { EmbeddedPostgres } from '../../backend/src/embedded/postgres-server';
import type { PgMajor } from './majors';
import { killPostmasterTree, reapServer } from './reap-server';
import { removeRecord, ServerRecord, updateRecord } from './server-registry';

export interface CreateRoleOptions {
  password: string;
  /** Roles to grant, e.g. ['pg_monitor'] or ['pg_signal_backend']. */
  grants?: string[];
  superuser?: boolean;
}

/** A throwaway PostgreSQL server for one test file (see startPostgres). */
export class TestPostgres {
  constructor(
    /** The launcher underneath, for what this class does not wrap. */
    readonly server: EmbeddedPostgres,
    readonly major: PgMajor,
    private record: ServerRecord,
  ) {}

  get port(): number {
    return this.server.port;
  }

  /** Superuser `postgres` on database postgres. */
  get superuserUrl(): string {
    return this.server.url();
  }

  /** Connection string; defaults to database postgres as the superuser. */
  url(database?: string, user?: string, password?: string): string {
    return this.server.url(database, user, password);
  }

  /** One statement as the superuser on database postgres, on a connection of its own. */
  async query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]> {
    const client = new Client({ connectionString: this.superuserUrl });
    try {
      await client.connect();
      return (await client.query<R>(sql, params)).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /**
   * Statements in turn on one superuser connection of their own (so not in a transaction block:
   * VACUUM, REINDEX CONCURRENTLY), closed at the end (which reports its statistics).
   */
  async run(...statements: string[]): Promise<void> {
    const client = new Client({ connectionString: this.superuserUrl });
    await client.connect();
    try {
      for (const statement of statements) await client.query(statement);
    } finally {
      await client.end();
    }
  }

  /** A LOGIN role with a password, member of the given roles. */
  async createRole(name: string, options: CreateRoleOptions): Promise<void> {
    const role = escapeIdentifier(name);
    const attributes = options.superuser ? 'LOGIN SUPERUSER' : 'LOGIN';
    // CREATE ROLE takes no bind parameters: the password goes in as an escaped literal.
    await this.query(`CREATE ROLE ${role} ${attributes} PASSWORD ${escapeLiteral(options.password)}`);
    const grants = options.grants ?? [];
    if (grants.length > 0) await this.query(`GRANT ${grants.map(escapeIdentifier).join(', ')} TO ${role}`);
  }

  /** Fast shutdown; the data folder stays for start(). */
  async stop(): Promise<void> {
    await this.server.stop();
  }

  /** Starts again, same data folder and port. */
  async start(): Promise<void> {
    await this.server.start();
    this.record = updateRecord(this.record, {
      port: this.server.port,
      postmasterPid: this.server.pid ?? null,
    });
  }

  /**
   * Crash: SIGKILL the postmaster and its backends together, as a lost host would. Backends left
   * to notice on their own would still hold the shared memory and could make a quick start() fail.
   */
  async kill(): Promise<void> {
    const pid = this.server.pid;
    if (pid !== undefined && this.server.running) killPostmasterTree(pid);
    await this.server.kill();
  }

  /** Stop, delete the data folder and forget the server. */
  async destroy(): Promise<void> {
    await this.server.stop();
    reapServer(this.record); // also what a kill() left behind: the shared memory segment
    removeRecord(this.record.id);
  }
}
