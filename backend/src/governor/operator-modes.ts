import { Logger } from 'pino';
import { Gauge, Registry } from 'prom-client';
import { GovernorMode, TargetConfig } from '../config/schema';
import { PeriodicJob } from '../lib/periodic-job';
import { ModeOverride, ModeOverrideStore } from '../store/governor-modes';
import { EventSink } from './journal';
import { operatorModeEvent, restoredModeEvent } from './mode-events';
import { CONFIGURED, ModeOrigin } from './mode-origin';
import { ModeChange, TargetGovernor } from './target-governor';

/** What an operator may ask for: a mode, or "configured" (clear theirs: the configuration's applies). */
export type RequestedMode = GovernorMode | 'configured';

/** The store did not take the change: nothing changed (the journal never claims what was not done). */
export class ModeNotPersistedError extends Error {
  constructor(
    readonly target: string,
    readonly inForce: GovernorMode,
    options: { cause: unknown },
  ) {
    super(`the governor mode change on ${target} could not be recorded in the history store`, options);
    this.name = 'ModeNotPersistedError';
  }
}

export interface OperatorModesDeps {
  governor: (target: string) => TargetGovernor | undefined;
  /**
   * A target this replica is configured with, governed here or by another replica sharing the
   * store (whose change is then stored here and put in force there by follow()).
   */
  configured?: (target: string) => TargetConfig | undefined;
  targets: () => TargetGovernor[];
  store: ModeOverrideStore;
  /** The buffered journal, for the restore events (the modes themselves are durable already). */
  events: EventSink;
  registry: Registry;
  log: Logger;
  instance: () => string;
  now?: () => number;
}

/**
 * Governor modes set by operators through the API: stored with their journal event in one
 * transaction before they apply (persist first, then apply; a store that cannot take it leaves
 * the mode as it was: ModeNotPersistedError), read back at start, and in force over the configured
 * mode until an operator sets "configured". Changes of one target are made one at a time, so the
 * stored mode and the one in force cannot disagree. pgg_governor_mode_override says where one is in force.
 */
export class OperatorModes {
  private readonly queues = new Map<string, Promise<unknown>>();
  /** When each target's mode was last changed through this replica (ms): follow() leaves those alone. */
  private readonly changedAt = new Map<string, number>();
  private following: PeriodicJob<void> | undefined;
  private readonly override: Gauge<'target'>;
  private readonly now: () => number;

  constructor(private readonly deps: OperatorModesDeps) {
    this.now = deps.now ?? Date.now;
    this.override = new Gauge({
      name: 'pgg_governor_mode_override',
      help: "1 where an operator's governor mode (set through the API, kept in the store) is in force over the configured one, else 0",
      labelNames: ['target'],
      registers: [deps.registry],
    });
    for (const governor of deps.targets()) this.override.set({ target: governor.target.name }, 0);
  }

  /**
   * Sets (or clears) a target's operator mode; undefined for an unknown target. A target another
   * replica governs: stored here, in force there on its next follow() (a heartbeat).
   */
  async setMode(target: string, requested: RequestedMode, who: string): Promise<ModeChange | undefined> {
    const governor = this.deps.governor(target);
    if (governor) return this.serially(target, () => this.change(governor, requested, who));
    const config = this.deps.configured?.(target);
    if (!config) return undefined;
    return this.serially(target, () => this.changeElsewhere(config, requested, who));
  }

  /**
   * Keeps the governors of this replica on the modes in the store, every intervalMs: a mode set
   * (or cleared) through another replica comes into force here. What this replica changed itself
   * since a reading is left as it is (the store has it already).
   */
  follow(intervalMs: number): void {
    this.following ??= new PeriodicJob(() => this.sync(), intervalMs);
    this.following.start();
  }

  async stopFollowing(): Promise<void> {
    await this.following?.stop();
  }

  /** One reading of follow(); never throws (a store that does not answer is tried again). */
  async sync(): Promise<void> {
    const readAt = this.now();
    let overrides: ModeOverride[];
    try {
      overrides = await this.deps.store.load();
    } catch {
      return;
    }
    for (const governor of this.deps.targets()) {
      const target = governor.target.name;
      await this.serially(target, async () => {
        if ((this.changedAt.get(target) ?? -Infinity) >= readAt) return;
        const stored = overrides.find((o) => o.target === target);
        const { mode, origin } = governor.modeInForce();
        if (stored) {
          if (origin.source === 'operator' && origin.at === stored.at && mode === stored.mode) return;
          governor.applyMode(stored.mode, { source: 'operator', by: stored.by, at: stored.at });
          this.override.set({ target }, 1);
        } else {
          if (origin.source === 'configured') return;
          governor.applyMode(governor.target.governor.mode, CONFIGURED);
          this.override.set({ target }, 0);
        }
        this.deps.log.info(
          { target, mode: governor.modeInForce().mode, source: governor.modeInForce().origin.source },
          'governor mode: changed through another replica; in force here',
        );
      });
    }
  }

  /**
   * At start, before the governor acts: the stored operator modes back in force. With the store
   * reachable (ready settles at once) this waits for them; otherwise they are read once it is,
   * and until then the configured modes apply (logged).
   */
  async start(ready: Promise<void>): Promise<void> {
    const restored = ready.then(() => this.restore());
    restored.catch((error: unknown) =>
      this.deps.log.error(
        { err: error },
        "governor modes: the operators' modes could not be read from the store; the configured modes apply",
      ),
    );
    const now = await Promise.race([
      ready.then(
        () => true,
        () => false,
      ),
      new Promise<false>((resolve) => setImmediate(() => resolve(false))),
    ]);
    if (now) await restored.catch(() => undefined);
  }

  /**
   * Puts the stored operator modes back in force, each journaled: of every target, or of the given
   * ones (targets this replica just took over or that were just added).
   */
  async restore(only?: ReadonlySet<string>): Promise<void> {
    const overrides = (await this.deps.store.load()).filter((o) => !only || only.has(o.target));
    for (const target of only ?? [])
      if (!overrides.some((o) => o.target === target)) this.override.set({ target }, 0);
    for (const override of overrides) {
      const governor = this.deps.governor(override.target);
      if (!governor) continue; // a target no longer configured: its row waits, harmless
      await this.serially(override.target, async () => {
        const origin: ModeOrigin = { source: 'operator', by: override.by, at: override.at };
        const from = governor.modeInForce().mode;
        governor.applyMode(override.mode, origin);
        this.override.set({ target: override.target }, 1);
        this.deps.events.writeEvent(
          restoredModeEvent(override.target, { from, to: override.mode, origin }, this.context(governor)),
        );
        this.deps.log.info(
          { target: override.target, mode: override.mode, configured: governor.target.governor.mode },
          "governor mode: the operator's mode from the store is in force",
        );
      });
    }
  }

  /** The same change for a target governed by another replica: stored with its journal event, no governor here. */
  private async changeElsewhere(
    config: TargetConfig,
    requested: RequestedMode,
    who: string,
  ): Promise<ModeChange> {
    const target = config.name;
    const stored = (await this.deps.store.load().catch(() => [])).find((o) => o.target === target);
    const configured = config.governor.mode;
    const current = stored ? stored.mode : configured;
    const clear = requested === 'configured';
    const mode = clear ? configured : requested;
    const time = this.now();
    if (mode === current && (clear ? !stored : true))
      return {
        target,
        mode,
        previous: current,
        changed: false,
        by: stored?.by ?? 'configuration',
        at: new Date(stored?.at ?? time).toISOString(),
        source: stored ? 'operator' : 'configured',
      };
    const origin = await this.persist(target, current, mode, clear, who, {
      time,
      instance: this.deps.instance(),
      configured,
    });
    return {
      target,
      mode,
      previous: current,
      changed: true,
      by: who,
      at: new Date(time).toISOString(),
      source: origin.source,
    };
  }

  private async change(governor: TargetGovernor, requested: RequestedMode, who: string): Promise<ModeChange> {
    const target = governor.target.name;
    const current = governor.modeInForce();
    const clear = requested === 'configured';
    const mode = clear ? governor.target.governor.mode : requested;
    // Nothing to record: the same mode from the same kind of source (a mode equal to the
    // configured one is not pinned as an override).
    if (mode === current.mode && (clear ? current.origin.source === 'configured' : true))
      return governor.applyMode(mode, current.origin);
    const time = this.now();
    const origin = await this.persist(target, current.mode, mode, clear, who, {
      ...this.context(governor),
      time,
    });
    const change = governor.applyMode(mode, origin);
    // After the store took it: a reading of follow() that started earlier may not have seen it.
    this.changedAt.set(target, this.now());
    this.override.set({ target }, clear ? 0 : 1);
    return { ...change, by: who, at: new Date(time).toISOString(), changed: true };
  }

  /**
   * Stores a mode change with its journal event in one transaction, before anything applies it:
   * the origin it is in force by, or ModeNotPersistedError (logged) with nothing changed.
   */
  private async persist(
    target: string,
    from: GovernorMode,
    mode: GovernorMode,
    clear: boolean,
    who: string,
    context: { time: number; instance: string; configured: GovernorMode },
  ): Promise<ModeOrigin> {
    const origin: ModeOrigin = clear ? CONFIGURED : { source: 'operator', by: who, at: context.time };
    const event = operatorModeEvent(target, { from, to: mode, origin, who }, context);
    try {
      const override = clear ? undefined : { target, mode, by: who, at: context.time };
      await this.deps.store.save(target, override, event);
    } catch (error) {
      this.deps.log.error(
        { target, err: error, inForce: from },
        'governor mode change not recorded in the history store: not applied',
      );
      throw new ModeNotPersistedError(target, from, { cause: error });
    }
    return origin;
  }

  private context(governor: TargetGovernor) {
    return { time: this.now(), instance: this.deps.instance(), configured: governor.target.governor.mode };
  }

  private serially<T>(target: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(target) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.queues.set(
      target,
      next.catch(() => undefined),
    );
    return next;
  }
}
