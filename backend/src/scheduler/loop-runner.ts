import { PoolClient } from 'pg';
import { Logger } from 'pino';
import { LatestObservations } from '../collectors/latest-observations';
import { ObservationBus } from '../collectors/observation-bus';
import { collectContext, StatementRunner } from '../collectors/context';
import { PgBouncerConsolePool, pgBouncerConsoleConfig } from '../collectors/pgbouncer/console';
import { Collector, CollectorState } from '../collectors/types';
import { Config, LoopName, LoopSettings } from '../config/schema';
import { TargetMonitor } from '../db/target-monitor';
import { CollectorMetrics } from './collector-metrics';
import { backoffDelay } from '../lib/backoff';
import { backoffSettings } from '../config/backoff';
import { isConnectionLost } from '../db/pg-errors';
import { sqlFile } from '../sql/sql-file';

export interface CollectorStatus {
  name: string;
  /** waiting: the target is down or refused; the target's own status says why (not a collector fault). */
  state: 'ok' | 'failing' | 'skipped' | 'pending' | 'waiting';
  error?: string;
  lastSuccessAt?: number;
}

export interface LoopStatus {
  target: string;
  loop: LoopName;
  intervalMs: number;
  lastCycleStartedAt?: number;
  lastCycleEndedAt?: number;
  running: boolean;
  skippedCycles: number;
  consecutiveFailures: number;
  collectors: CollectorStatus[];
}

/**
 * The statement_timeout of a loop cycle's connection: every statement is bounded by the loop's
 * budget, never above the target's statement_timeout_ms (nor below 100 ms).
 */
export function cycleStatementTimeoutMs(
  budgetMs: number,
  connection: { statement_timeout_ms: number },
): number {
  return Math.max(100, Math.min(budgetMs, connection.statement_timeout_ms));
}

/**
 * Whether this replica may collect the target now: it owns the target and no other session holds
 * the target's lock. Asked at the start of every cycle and again before each observation is
 * published (a cycle can outlast the ownership it started under).
 */
export interface CollectionFence {
  mayCollect(): Promise<boolean>;
  mayPublish(): boolean;
  /** Why not, for the collectors' status. */
  readonly reason: string;
}

/**
 * The loop that runs the governor's input collector tells the governor when a cycle gives it no
 * snapshot (target down, no connection, that collector failing, the loop backing off): the
 * governor then looks for itself.
 */
export interface GovernorWatch {
  /** The collector whose observation the governor decides on. */
  input: string;
  blind(target: string, why: string): void;
}

/** How many times a loop that has collected nothing yet tries again soon (see retrySoon()). */
const EARLY_RETRIES = 3;

/** What a PgBouncer collector gets as its PostgreSQL connection: it has none. */
const NO_POSTGRES: StatementRunner = {
  query: () => Promise.reject(new Error('a PgBouncer collector runs no PostgreSQL statement')),
};

/**
 * One loop (hot, workload, storage, hourly) on one target. Cycles start on a fixed timer and never
 * overlap (a tick during a running cycle is skipped and counted). A cycle takes one connection,
 * bounds every statement by the loop's remaining budget, runs its collectors one after another
 * (one failing does not stop the next) and publishes each result. When every collector fails the
 * loop backs off with jitter. Collectors whose source is PgBouncer run beside the PostgreSQL ones,
 * on the admin console connection, so that neither side fails or delays the other.
 */
export class LoopRunner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private skipped = 0;
  private failures = 0;
  private notBefore = 0;
  private lastStarted: number | undefined;
  private lastEnded: number | undefined;
  private readonly states = new Map<string, CollectorState>();
  private readonly statuses = new Map<string, CollectorStatus>();
  private readonly onPostgres: Collector[];
  private readonly onPgBouncer: Collector[];
  private pgbouncer: PgBouncerConsolePool | undefined;
  /** Set while the governor sees pressure: a shorter interval than the loop's own. */
  private cadenceMs: number | undefined;
  private extraTick: NodeJS.Timeout | undefined;
  private started = false;
  private firstDelayMs = 0;
  private spreadPhase = false;
  /** The first cycle's timer has not fired yet. */
  private firstPending = false;
  /** A cycle has run on a usable target. */
  private collected = false;
  /** A cycle has published something (or the loop has nothing to run). */
  private delivered = false;
  private earlyRetries = 0;

  constructor(
    readonly loop: LoopName,
    private readonly settings: LoopSettings,
    private readonly collectors: Collector[],
    private readonly monitor: TargetMonitor,
    private readonly deps: {
      bus: ObservationBus;
      latest: LatestObservations;
      metrics: CollectorMetrics;
      log: Logger;
      config: Config;
      now?: () => number;
      /** The governor's eyes, when this loop runs the collector it decides on. */
      governor?: GovernorWatch;
      /** Absent: always collect. */
      fence?: CollectionFence;
    },
  ) {
    for (const c of collectors) this.statuses.set(c.name, { name: c.name, state: 'pending' });
    monitor.onUp(() => this.wake());
    this.onPostgres = collectors.filter((c) => c.source !== 'pgbouncer');
    this.onPgBouncer = collectors.filter((c) => c.source === 'pgbouncer');
  }

  private get target(): string {
    return this.monitor.name;
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /**
   * The first cycle initialDelayMs from now, then one every interval. With `spreadPhase` the cycles
   * after the first keep a phase of their own: the second comes half an interval to one and a half
   * after the first. Targets started together (a replica's start, a takeover) then collect at once,
   * yet do not all run on the same tick ever after: 200 targets' workload cycles on one tick
   * spent their 3 s budget every minute (bench/fleet.bench.mjs). Until the loop has collected once,
   * its first cycle on a usable target keeps initialDelayMs too (see wake()).
   */
  start(initialDelayMs = 0, spreadPhase = false): void {
    this.started = true;
    this.firstDelayMs = initialDelayMs;
    this.spreadPhase = spreadPhase;
    this.schedule(initialDelayMs);
  }

  /** The first cycle firstMs from now, the later ones as start() says. */
  private schedule(firstMs: number): void {
    clearTimeout(this.timer);
    this.firstPending = true;
    if (!this.spreadPhase) return this.every(firstMs);
    this.timer = setTimeout(() => {
      this.firstPending = false;
      void this.tick();
      this.every(this.intervalMs() * (0.5 + Math.random()));
    }, firstMs);
    this.timer.unref();
  }

  /** A cycle firstMs from now, then one every interval (until stop() or a new cadence). */
  private every(firstMs: number): void {
    this.timer = setTimeout(() => {
      this.firstPending = false;
      void this.tick();
      this.timer = setInterval(() => void this.tick(), this.intervalMs());
      this.timer.unref();
    }, firstMs);
    this.timer.unref();
  }

  private intervalMs(): number {
    return this.cadenceMs ?? this.settings.interval_s * 1000;
  }

  /**
   * Runs the loop every intervalMs instead of its interval_s (undefined: back to interval_s), the
   * next cycle intervalMs after the last one started: the governor shortens the hot loop's interval
   * while connection usage is high. Cycles still never overlap.
   */
  setCadence(intervalMs: number | undefined): void {
    if (intervalMs === this.cadenceMs) return;
    this.cadenceMs = intervalMs;
    if (!this.started) return;
    clearTimeout(this.timer);
    const sinceLast = this.lastStarted === undefined ? Infinity : this.now() - this.lastStarted;
    this.every(Math.max(0, this.intervalMs() - sinceLast));
  }

  /**
   * The target is up again: whatever the loop backed off for is over (the errors were most likely
   * the target going away), and it runs now rather than up to an interval later. Up for the first
   * time (a new pool identified the server), the first cycle keeps its delay: targets gained
   * together come up together, and their heavier loops' first cycles would spend the hot cycles'
   * budget. If its timer already fired while the target was not known yet, the schedule starts
   * again from now, so that the next cycle does not come at the old schedule's next tick, maybe a
   * moment after this first one.
   */
  private wake(): void {
    this.failures = 0;
    this.notBefore = 0;
    if (this.collected) this.requestTick(0);
    else if (!this.firstPending) this.schedule(this.firstDelayMs);
  }

  /** One extra cycle delayMs from now, or as soon as the running one ends; requests meanwhile collapse into it. */
  requestTick(delayMs: number): void {
    if (!this.started || this.extraTick) return;
    this.extraTick = setTimeout(() => {
      this.extraTick = undefined;
      if (!this.started) return;
      if (this.running) void this.running.then(() => this.tick());
      else void this.tick();
    }, delayMs);
    this.extraTick.unref();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.extraTick) clearTimeout(this.extraTick);
    this.extraTick = undefined;
    await this.running;
    await this.pgbouncer?.end();
    this.pgbouncer = undefined;
  }

  status(): LoopStatus {
    return {
      target: this.target,
      loop: this.loop,
      intervalMs: this.intervalMs(),
      ...(this.lastStarted ? { lastCycleStartedAt: this.lastStarted } : {}),
      ...(this.lastEnded ? { lastCycleEndedAt: this.lastEnded } : {}),
      running: this.running !== undefined,
      skippedCycles: this.skipped,
      consecutiveFailures: this.failures,
      collectors: [...this.statuses.values()].map((s) => ({ ...s })),
    };
  }

  /** One collector's state, if this loop runs it. */
  collectorStatus(collector: string): CollectorStatus | undefined {
    const status = this.statuses.get(collector);
    return status && { ...status };
  }

  /** Runs a cycle unless one is still running or the loop is backing off. Resolves when it ends. */
  tick(): Promise<void> {
    if (this.running) {
      this.skip('overlap');
      return this.running;
    }
    if (this.now() < this.notBefore) {
      this.skip('backoff');
      // Backing off spares a failing target the monitor's statements; the governor still needs eyes.
      this.deps.governor?.blind(
        this.target,
        `loop ${this.loop} backing off after ${this.failures} failed cycles`,
      );
      return Promise.resolve();
    }
    this.running = this.cycle().finally(() => {
      this.running = undefined;
      this.lastEnded = this.now();
    });
    return this.running;
  }

  private skip(reason: 'overlap' | 'backoff'): void {
    this.skipped += 1;
    this.deps.metrics.skippedCycles.inc({ target: this.target, loop: this.loop, reason });
  }

  private async cycle(): Promise<void> {
    const fence = this.deps.fence;
    if (fence && !(await fence.mayCollect())) {
      // Not this replica's to collect now: nothing failed, nothing is served as current.
      for (const collector of this.collectors) this.notOk(collector, 'waiting', fence.reason);
      this.lastStarted = this.lastEnded = this.now();
      this.retrySoon();
      return;
    }
    const started = this.now();
    this.lastStarted = started;
    this.deps.metrics.cycles.inc({ target: this.target, loop: this.loop });
    const deadline = started + this.settings.budget_ms;
    const [onPostgres, onPgBouncer] = await Promise.all([
      this.postgresCycle(deadline),
      this.pgBouncerCycle(deadline),
    ]);
    // The target is not usable: nothing failed. The monitor reconnects with its own backoff and
    // wakes the loop when it is up; backing off here too would leave the loop blind after recovery.
    if (onPostgres === 'waiting') return;
    this.collected = true;
    const succeeded = onPostgres + onPgBouncer;
    if (succeeded > 0 || this.collectors.length === 0) this.delivered = true;
    // Not a failing target yet: the retry comes instead of a backoff.
    else if (this.retrySoon()) return;
    this.failures = succeeded === 0 && this.collectors.length > 0 ? this.failures + 1 : 0;
    this.notBefore = this.failures > 0 ? this.now() + backoffDelay(this.failures, this.backoffSettings()) : 0;
  }

  /**
   * A loop that has published nothing yet tries again soon (a budget, at most a quarter interval,
   * plus its first cycle's delay, which spreads a batch) rather than at its next tick, which may be
   * 1.5 intervals away (start()), up to EARLY_RETRIES times: a target just gained whose old
   * owner's governor session still holds its lock (a SIGTERM's handover stops that session a
   * moment after releasing the target), or whose first cycle spent its budget while the replica
   * started 50 targets at once on busy cores, is then collected a second or two later, not 7 s.
   * Returns whether it will.
   */
  private retrySoon(): boolean {
    if (this.delivered || !this.started || this.earlyRetries >= EARLY_RETRIES) return false;
    this.earlyRetries += 1;
    this.schedule(Math.min(this.settings.budget_ms, this.intervalMs() / 4) + this.firstDelayMs);
    return true;
  }

  /**
   * The loop's connection failed: the monitor looks now. If it finds the target down, its coming
   * up wakes the loop; if it finds it up (a connect timed out on a busy server, one session was
   * terminated), nothing will, and a loop that has published nothing yet would wait for its next
   * tick, up to 1.5 intervals (15 minutes for the storage loop): it retries soon instead.
   */
  private recheckTarget(): void {
    void this.monitor.checkNow().then(() => {
      if (this.monitor.usable) this.retrySoon();
    });
  }

  /**
   * The PostgreSQL collectors, on one target connection: how many succeeded (or were skipped);
   * 'waiting' when the target is not usable (not known yet, down, refused, no connection, lost).
   */
  private async postgresCycle(deadline: number): Promise<number | 'waiting'> {
    if (this.onPostgres.length === 0) return 0;
    const targetState = this.monitor.status().state;
    // Not yet known: nothing failed. Down or refused: the monitor reconnects with its own backoff.
    if (targetState === 'connecting') return 'waiting';
    if (targetState !== 'up') {
      this.waitAll(`target ${targetState}`);
      const reason = this.monitor.status().reason;
      if (targetState === 'down')
        this.deps.governor?.blind(this.target, `target down${reason ? `: ${reason}` : ''}`);
      return 'waiting';
    }
    let client: PoolClient;
    try {
      client = await this.monitor.pool.connect();
    } catch (error) {
      this.waitAll(`cannot connect: ${(error as Error).message}`);
      this.deps.governor?.blind(this.target, `cannot connect: ${(error as Error).message}`);
      this.recheckTarget();
      return 'waiting';
    }
    let broken: Error | undefined;
    let succeeded = 0;
    try {
      const timeout = cycleStatementTimeoutMs(this.settings.budget_ms, this.monitor.target.connection);
      await client.query(sqlFile('target/loop-statement-timeout.sql'), [`${timeout}ms`]);
      for (const collector of this.onPostgres) {
        if (broken) break;
        const outcome = await this.runCollector(collector, client, deadline);
        // 'partial': it ran and published (a custom metric failed): no reason to back off.
        if (outcome === 'ok' || outcome === 'skipped' || outcome === 'partial') succeeded += 1;
        // A lost session is not worth reusing for the rest of the cycle.
        else if (isConnectionLost(outcome)) broken = outcome;
        // e.g. a statement timeout on an overloaded server: exactly when the governor must see.
        else if (collector.name === this.deps.governor?.input)
          this.deps.governor.blind(this.target, `${collector.name} failed: ${outcome.message}`);
      }
      if (!broken) await client.query(sqlFile('target/reset-statement-timeout.sql'));
    } catch (error) {
      broken = error as Error;
    } finally {
      client.release(broken);
    }
    if (broken && isConnectionLost(broken)) {
      // The connection went, not the collectors: the target is in question. Have the monitor look
      // now; until it is up again, collectors wait (and readiness names the target, not them).
      this.waitAll(`connection lost: ${broken.message}`);
      this.deps.governor?.blind(this.target, `connection lost: ${broken.message}`);
      this.recheckTarget();
      return 'waiting';
    } else if (broken) {
      for (const c of this.onPostgres)
        if (this.statuses.get(c.name)?.state === 'pending') this.fail(c, broken.message);
    }
    return succeeded;
  }

  /**
   * The PgBouncer collectors, on the admin console connection (skipped where no PgBouncer is
   * configured): how many succeeded. They run while PostgreSQL is down, against the server as last
   * identified (its usable connections); before the first identification they fail.
   */
  private async pgBouncerCycle(deadline: number): Promise<number> {
    let succeeded = 0;
    for (const collector of this.onPgBouncer) {
      const admin = this.pgBouncerConsole();
      if (!admin) {
        this.markSkipped(collector);
        continue;
      }
      if ((await this.runCollector(collector, NO_POSTGRES, deadline, admin)) === 'ok') succeeded += 1;
    }
    return succeeded;
  }

  /** Opened on first use, kept between cycles (one connection), closed by stop(). */
  private pgBouncerConsole(): PgBouncerConsolePool | undefined {
    const bouncer = this.monitor.target.pgbouncer;
    if (!bouncer) return undefined;
    this.pgbouncer ??= new PgBouncerConsolePool(
      pgBouncerConsoleConfig(bouncer.dsn, {
        connectTimeoutMs: Math.min(
          this.monitor.target.connection.connect_timeout_ms,
          this.settings.budget_ms,
        ),
        queryTimeoutMs: this.settings.budget_ms,
        idleTimeoutMs: this.monitor.target.connection.idle_timeout_ms,
      }),
      (error) =>
        this.deps.log.debug(
          { target: this.target, err: error.message },
          'idle PgBouncer console connection closed',
        ),
    );
    return this.pgbouncer;
  }

  private markSkipped(collector: Collector): void {
    this.statuses.set(collector.name, {
      ...this.statuses.get(collector.name),
      name: collector.name,
      state: 'skipped',
    });
    this.deps.latest.forget(this.target, collector.name);
  }

  private backoffSettings() {
    return backoffSettings(this.deps.config.reconnect);
  }

  private async runCollector(
    collector: Collector,
    client: StatementRunner,
    deadline: number,
    pgbouncer?: StatementRunner,
  ): Promise<'ok' | 'skipped' | 'partial' | Error> {
    const server = this.monitor.status().server;
    if (!server) return this.fail(collector, 'server not identified yet');
    if ((collector.primaryOnly && server.inRecovery) || (collector.enabled && !collector.enabled(server))) {
      this.markSkipped(collector);
      return 'skipped';
    }
    const labels = { target: this.target, collector: collector.name };
    const endTimer = this.deps.metrics.duration.startTimer(labels);
    let state = this.states.get(collector.name);
    if (!state) this.states.set(collector.name, (state = new Map()));
    const context = collectContext({
      client,
      target: this.target,
      server,
      state,
      topN: this.deps.config.top_n,
      queryText: {
        maxLength: this.deps.config.query_text.max_length,
        redact: this.deps.config.query_text.redact_literals,
      },
      databaseSizesIntervalMs: this.deps.config.database_sizes.interval_s * 1000,
      sizeRankingIntervalMs: this.deps.config.size_ranking.interval_s * 1000,
      now: this.now(),
      deadline,
      clock: () => this.now(),
      budgetLabel: `loop ${this.loop} (${this.settings.budget_ms} ms)`,
      ...(pgbouncer ? { pgbouncer } : {}),
    });
    try {
      const result = await collector.collect(context);
      endTimer();
      const snapshots = result.snapshots ?? [];
      if (this.deps.fence && !this.deps.fence.mayPublish()) {
        this.notOk(collector, 'waiting', this.deps.fence.reason);
        return 'skipped';
      }
      const observation = {
        target: this.target,
        collector: collector.name,
        loop: this.loop,
        time: context.now,
        samples: result.samples,
        snapshots,
        ...(result.events?.length ? { events: result.events } : {}),
      };
      this.deps.latest.record(observation);
      this.deps.bus.publish(observation);
      const rows = result.samples.length + snapshots.reduce((n, s) => n + s.rows.length, 0);
      this.deps.metrics.rows.set(labels, rows);
      // Published, yet part of it failed (pgbouncer_up 0, a custom metric's query): failing, with the reason.
      if (result.error !== undefined) {
        this.fail(collector, result.error, { keepLatest: true });
        return 'partial';
      }
      this.deps.metrics.success.set(labels, 1);
      this.deps.metrics.lastSuccess.set(labels, this.now() / 1000);
      if (this.statuses.get(collector.name)?.state === 'failing')
        this.deps.log.info(labels, 'collector recovered');
      this.statuses.set(collector.name, { name: collector.name, state: 'ok', lastSuccessAt: this.now() });
      return 'ok';
    } catch (error) {
      endTimer();
      this.fail(collector, (error as Error).message);
      return error as Error;
    }
  }

  private fail(collector: Collector, message: string, options: { keepLatest?: boolean } = {}): Error {
    const previous = this.statuses.get(collector.name);
    // Log a failure when it starts or changes, not every cycle.
    if (previous?.state !== 'failing' || previous.error !== message)
      this.deps.log.warn(
        { target: this.target, collector: collector.name, err: message },
        'collector failed',
      );
    this.notOk(collector, 'failing', message, options.keepLatest);
    return new Error(message);
  }

  /** The target is unusable: nothing current to serve, success 0, but not a collector failure. */
  private waitAll(reason: string): void {
    for (const collector of this.onPostgres) this.notOk(collector, 'waiting', reason);
  }

  /** Failing or waiting: the reason, success 0, the last success kept, the last observation forgotten unless kept. */
  private notOk(
    collector: Collector,
    state: 'failing' | 'waiting',
    reason: string,
    keepLatest = false,
  ): void {
    const previous = this.statuses.get(collector.name);
    this.statuses.set(collector.name, {
      name: collector.name,
      state,
      error: reason,
      ...(previous?.lastSuccessAt ? { lastSuccessAt: previous.lastSuccessAt } : {}),
    });
    this.deps.metrics.success.set({ target: this.target, collector: collector.name }, 0);
    if (!keepLatest) this.deps.latest.forget(this.target, collector.name);
  }
}
