import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Logger } from 'pino';
import { APPLICATION_NAME } from '../db/target-pool';
import { sqlFile } from '../sql/sql-file';

export interface LeaseCheck {
  held: boolean;
  /** Who holds it, as far as the store says (the holder's instance name), when known. */
  holder?: string;
}

/** One governor acts per target, whatever the number of backend replicas: the holder of its lease. */
export interface GovernorLease {
  /** This process's name in the journal and on the store (application_name). */
  readonly instance: string;
  /** Whether this instance holds the target's lease, taking it if it is free. Never throws. */
  check(target: string): Promise<LeaseCheck>;
  close(): Promise<void>;
}

/** hostname:pid:random, short enough for an application_name (63 bytes) with its prefix. */
export function instanceName(): string {
  return `${hostname().slice(0, 28)}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

const LEASE_APPLICATION = `${APPLICATION_NAME}-lease`;

/** The instance named by a lease holder's application_name. */
const instanceOf = (applicationName: string | null | undefined): string | undefined =>
  applicationName?.startsWith(`${LEASE_APPLICATION} `)
    ? applicationName.slice(LEASE_APPLICATION.length + 1)
    : undefined;

/**
 * Session-level advisory locks (sql/governor/lease.sql) on a dedicated connection to the history
 * store that every replica shares: one lock per target, all on this one connection. The server
 * releases them when the session ends, so when a holder dies (process, host or connection) a
 * standby takes the lease on its next try, i.e. its next hot-loop cycle. A lost connection means
 * every lease is lost; it is reopened on the next check.
 */
export class AdvisoryLease implements GovernorLease {
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
    readonly instance: string = instanceName(),
    private readonly timeoutMs = 2000,
  ) {}

  async check(target: string): Promise<LeaseCheck> {
    try {
      const client = await this.connection();
      const { rows } = await client.query<{ held: boolean; holder: string | null }>(
        sqlFile('governor/lease.sql'),
        [target],
      );
      const row = rows[0];
      const holder = instanceOf(row?.holder);
      return { held: row?.held === true, ...(holder ? { holder } : {}) };
    } catch (error) {
      this.log.warn(
        { target, err: (error as Error).message },
        'governor lease: cannot reach the store; not acting',
      );
      await this.drop();
      return { held: false };
    }
  }

  private connection(): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new Client({
        connectionString: this.url,
        application_name: `${LEASE_APPLICATION} ${this.instance}`.slice(0, 63),
        connectionTimeoutMillis: this.timeoutMs,
        statement_timeout: this.timeoutMs,
        query_timeout: this.timeoutMs + 1000,
      });
      // The session is gone (store restart, terminated): so are the locks; reopen on the next check.
      client.on('error', (error) => {
        this.log.warn({ err: error.message }, 'governor lease connection lost');
        if (this.client === client) this.client = undefined;
      });
      client.on('end', () => {
        if (this.client === client) this.client = undefined;
      });
      try {
        await client.connect();
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      this.client = client;
      return client;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Ends the session: the leases go to a standby on its next cycle. */
  async close(): Promise<void> {
    await this.connecting?.catch(() => undefined);
    await this.drop();
  }
}

/** No shared store to hold a lease on: this process is the only governor. */
export class SoloLease implements GovernorLease {
  constructor(readonly instance: string = instanceName()) {}

  check(): Promise<LeaseCheck> {
    return Promise.resolve({ held: true, holder: this.instance });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
