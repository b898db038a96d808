import { setTimeout as sleep } from 'node:timers/promises';
import { Client, QueryResult, QueryResultRow } from 'pg';
import { backoffDelay } from '../lib/backoff';
import { closeClient } from './client-close';
import { WorkloadCounters } from './workload-counters';
import { errorMessage, WorkloadLog } from './workload-log';

/** The application names the demo connects with; `pg-governor` is the product's own and never used here. */
export type DemoApplication = 'demo-web' | 'demo-worker' | 'demo-report' | 'demo-batch';

/** What a session body gets for one connection. */
export interface SessionContext {
  /** Runs a statement on this connection; refuses to start one once the signal is aborted. */
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
  /** Aborted when the workload stops or this connection is lost: pass it to every sleep. */
  signal: AbortSignal;
  counters: WorkloadCounters;
}

/** Runs until its signal aborts or a statement fails; the session then reconnects and runs it again. */
export type SessionBody = (session: SessionContext) => Promise<void>;

export interface SessionSpec {
  /** Unique within the workload, for logs, e.g. `oltp-2`. */
  name: string;
  application: DemoApplication;
  body: SessionBody;
}

export interface SessionEnvironment {
  url: string;
  log: WorkloadLog;
  counters: WorkloadCounters;
  /** Aborted by DemoWorkload.stop(). */
  stop: AbortSignal;
}

const CONNECT_TIMEOUT_MS = 5_000;
const RECONNECT_BACKOFF = { initialMs: 500, maxMs: 15_000 };
/** A connection that lasted this long was healthy: after losing it (a governor kill), reconnect fast. */
const HEALTHY_CONNECTION_MS = 30_000;

/**
 * One demo connection kept alive forever: connect, run the body, and on any failure (terminated
 * backend, server restart, failed statement) log at warn, back off and reconnect, until stopped.
 */
export class DemoSession {
  readonly closed: Promise<void>;
  private client: Client | undefined;
  private pid: number | undefined;

  constructor(
    private readonly spec: SessionSpec,
    private readonly env: SessionEnvironment,
  ) {
    this.closed = this.run().catch((error: unknown) => {
      // Only a throwing logger gets here; never let it become an unhandled rejection.
      try {
        env.log.warn(
          { session: spec.name, error: errorMessage(error) },
          'demo session crashed; not restarting it',
        );
      } catch {
        // nothing left to report to
      }
    });
  }

  get name(): string {
    return this.spec.name;
  }

  /** The backend's pid while connected, so stop() can cancel a statement still in flight. */
  get backendPid(): number | undefined {
    return this.pid;
  }

  /** Last resort of stop(): drops the connection even if a statement hangs. */
  async forceClose(): Promise<void> {
    if (this.client) await closeClient(this.client);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.env.stop.aborted) {
      const connectedAt = Date.now();
      const failure = await this.runConnection();
      if (this.env.stop.aborted) return;
      failures = Date.now() - connectedAt >= HEALTHY_CONNECTION_MS ? 1 : failures + 1;
      const delayMs = backoffDelay(failures, RECONNECT_BACKOFF);
      this.env.counters.bump('failures');
      this.env.log.warn(
        {
          session: this.spec.name,
          application: this.spec.application,
          error: errorMessage(failure),
          retryInMs: delayMs,
        },
        'demo session lost; reconnecting',
      );
      await sleep(delayMs, undefined, { signal: this.env.stop }).catch(() => undefined);
    }
  }

  /** One connection's life; resolves with why it ended (ignored when the workload is stopping). */
  private async runConnection(): Promise<unknown> {
    const client = new Client({
      connectionString: this.env.url,
      application_name: this.spec.application,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    const lost = new AbortController();
    let failure: unknown;
    const fail = (error: unknown) => {
      failure ??= error;
      lost.abort(error);
    };
    // Without an 'error' listener a backend terminated while idle would crash the process.
    client.on('error', fail);
    client.on('end', () => fail(new Error('connection closed')));
    const onStop = () => lost.abort(this.env.stop.reason);
    this.env.stop.addEventListener('abort', onStop, { once: true });

    const session: SessionContext = {
      query: <R extends QueryResultRow>(text: string, values?: unknown[]) => {
        lost.signal.throwIfAborted();
        return client.query<R>(text, values);
      },
      signal: lost.signal,
      counters: this.env.counters,
    };
    try {
      lost.signal.throwIfAborted();
      this.client = client;
      await client.connect();
      const { rows } = await session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      this.pid = rows[0]?.pid;
      this.env.counters.bump('connects');
      await this.spec.body(session);
      fail(new Error('session body ended'));
    } catch (error) {
      fail(error);
    } finally {
      this.env.stop.removeEventListener('abort', onStop);
      this.pid = undefined;
      await closeClient(client);
      this.client = undefined;
    }
    return failure;
  }
}
