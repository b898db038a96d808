import { Pool } from 'pg';
import { Logger } from 'pino';
import { TargetConfig } from '../config/schema';
import { backoffDelay, BackoffSettings } from '../lib/backoff';
import { sqlFile } from '../sql/sql-file';
import { describeRefusal, findWriteCapabilities } from './privileges';
import { inspectServer, ServerInfo } from './server-info';
import { collectorConnections, createGuardedPool, keepOneIdle, targetPoolConfig } from './target-pool';

export type TargetState = 'connecting' | 'up' | 'down' | 'refused';

export interface TargetStatus {
  name: string;
  state: TargetState;
  /** Why the target is not up: the connection error, or what the role could write. */
  reason?: string;
  /** When the state last changed (ISO 8601). */
  since: string;
  server?: ServerInfo;
  consecutiveFailures: number;
  lastCheckAt?: string;
  nextCheckAt?: string;
}

export interface MonitorSettings extends BackoffSettings {
  probeIntervalMs: number;
}

export type CheckResult = 'ok' | 'error' | 'refused';

/** What a server is to its cluster: a primary, or a standby in recovery. */
export type ServerRole = 'primary' | 'standby';

export const serverRole = (server: ServerInfo): ServerRole => (server.inRecovery ? 'standby' : 'primary');

/** The server changed role since it was last identified: a promotion, a failover, a rebuild. */
export interface RoleChange {
  from: ServerRole;
  to: ServerRole;
  /** When it was seen (ms since epoch). */
  at: number;
}

/**
 * Owns a target's connection pool and knows whether the target can be used: probes it on a timer,
 * reconnects with backoff and jitter when it is down, and after every (re)connect identifies the
 * server and checks that the collector role cannot write. Never throws; state is in status().
 */
export class TargetMonitor {
  readonly pool: Pool;
  private state: TargetState = 'connecting';
  private reason: string | undefined;
  private since = new Date();
  private server: ServerInfo | undefined;
  private failures = 0;
  private lastCheckAt: Date | undefined;
  private nextCheckAt: Date | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = false;
  private readonly upListeners: (() => void)[] = [];
  private readonly roleListeners: ((change: RoleChange) => void)[] = [];

  constructor(
    readonly target: TargetConfig,
    private readonly settings: MonitorSettings,
    private readonly log: Logger,
    private readonly onCheck: (result: CheckResult) => void = () => undefined,
  ) {
    const max = collectorConnections(target.connection);
    // One connection held in steady state: a second one only while loops overlap.
    this.pool = keepOneIdle(
      createGuardedPool(targetPoolConfig(target.dsn, target.connection, max), (error) =>
        // An idle connection died (server restart, session terminated): the next probe notices.
        this.log.debug({ target: target.name, err: error.message }, 'idle target connection closed'),
      ),
    );
  }

  get name(): string {
    return this.target.name;
  }

  get usable(): boolean {
    return this.state === 'up';
  }

  status(): TargetStatus {
    return {
      name: this.target.name,
      state: this.state,
      ...(this.reason ? { reason: this.reason } : {}),
      since: this.since.toISOString(),
      ...(this.server ? { server: this.server } : {}),
      consecutiveFailures: this.failures,
      ...(this.lastCheckAt ? { lastCheckAt: this.lastCheckAt.toISOString() } : {}),
      ...(this.nextCheckAt ? { nextCheckAt: this.nextCheckAt.toISOString() } : {}),
    };
  }

  /**
   * Called on every transition to up (the first identification included): the loops run at once
   * rather than on their next tick, so a target that comes back is seen within one cycle.
   */
  onUp(listener: () => void): void {
    this.upListeners.push(listener);
  }

  /**
   * Called when the server's role differs from what it was when last identified, seen by the probe
   * (pg_promote() keeps the connections) or after a reconnect (a failover to another server). Not
   * on the first identification: nothing changed then.
   */
  onRoleChange(listener: (change: RoleChange) => void): void {
    this.roleListeners.push(listener);
  }

  /** First check now; resolves once it is done (whatever its outcome). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.runCheck();
  }

  /** Checks again right away (e.g. on demand from an operator), without waiting for the timer. */
  async checkNow(): Promise<TargetStatus> {
    if (this.timer) clearTimeout(this.timer);
    await this.runCheck();
    return this.status();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
    await this.pool.end().catch(() => undefined);
  }

  /** The timer's probe while up: skipped while every connection runs a loop's statements. */
  private probe(): void {
    // The target is in use, and a probe would open one more connection just to say so. A loop
    // whose connection fails asks for a check itself (checkNow).
    const busy = this.pool.totalCount > 0 && this.pool.idleCount === 0;
    if (this.state === 'up' && busy && !this.inFlight) this.schedule();
    else void this.runCheck();
  }

  private runCheck(): Promise<void> {
    this.inFlight ??= this.check().finally(() => {
      this.inFlight = undefined;
      this.schedule();
    });
    return this.inFlight;
  }

  private schedule(): void {
    if (this.stopped) return;
    const delay =
      this.state === 'up'
        ? this.settings.probeIntervalMs
        : this.state === 'refused'
          ? this.settings.maxMs
          : backoffDelay(this.failures, this.settings);
    this.nextCheckAt = new Date(Date.now() + delay);
    this.timer = setTimeout(() => this.probe(), delay);
    this.timer.unref();
  }

  private async check(): Promise<void> {
    this.lastCheckAt = new Date();
    try {
      const client = await this.pool.connect();
      try {
        if (this.state === 'up') {
          const { rows } = await client.query<{ in_recovery: unknown }>(sqlFile('target/probe.sql'));
          const inRecovery = rows[0]?.in_recovery;
          if (this.server && typeof inRecovery === 'boolean') this.identified({ ...this.server, inRecovery });
        } else {
          // After every (re)connect: the server may have been upgraded, and grants may have changed.
          const server = await inspectServer(client);
          const capabilities = this.target.connection.read_only ? await findWriteCapabilities(client) : [];
          if (capabilities.length > 0) {
            this.identified(server);
            this.failures = 0;
            this.transition('refused', describeRefusal(server.currentUser, capabilities, server.database));
            this.onCheck('refused');
            return;
          }
          this.identified(server);
        }
      } finally {
        client.release();
      }
      this.failures = 0;
      this.transition('up');
      this.onCheck('ok');
    } catch (error) {
      this.failures += 1;
      this.transition('down', (error as Error).message);
      this.onCheck('error');
    }
  }

  /** Keeps what the server is now; tells the role listeners when its role changed. */
  private identified(server: ServerInfo): void {
    const before = this.server;
    this.server = server;
    if (!before || before.inRecovery === server.inRecovery) return;
    const change: RoleChange = { from: serverRole(before), to: serverRole(server), at: Date.now() };
    this.log.warn({ target: this.target.name, from: change.from, to: change.to }, 'target role changed');
    for (const listener of this.roleListeners) listener(change);
  }

  private transition(state: TargetState, reason?: string): void {
    const changed = state !== this.state || reason !== this.reason;
    const cameUp = state === 'up' && this.state !== 'up';
    if (state !== this.state) this.since = new Date();
    this.state = state;
    this.reason = reason;
    if (cameUp) for (const listener of this.upListeners) listener();
    if (!changed) return;
    const fields = { target: this.target.name, state, ...(reason ? { reason } : {}) };
    if (state === 'up') {
      this.log.info(
        { ...fields, major: this.server?.major, pgStatStatements: this.server?.pgStatStatements.usable },
        'target up',
      );
    } else if (state === 'refused') this.log.error(fields, 'target refused: the collector role can write');
    else
      this.log.warn(
        { ...fields, retryInMs: backoffDelay(this.failures, this.settings, () => 1) },
        'target down',
      );
  }
}
