import { Logger } from 'pino';
import { Gauge, Registry } from 'prom-client';
import { GovernorMode } from '../config/schema';
import { ModeOverrideStore } from '../store/governor-modes';
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

  /** Sets (or clears) a target's operator mode; undefined for an unknown target. */
  async setMode(target: string, requested: RequestedMode, who: string): Promise<ModeChange | undefined> {
    const governor = this.deps.governor(target);
    if (!governor) return undefined;
    return this.serially(target, () => this.change(governor, requested, who));
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

  /** Puts the stored operator modes back in force, each journaled. */
  async restore(): Promise<void> {
    const overrides = await this.deps.store.load();
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
    const origin: ModeOrigin = clear ? CONFIGURED : { source: 'operator', by: who, at: time };
    const event = operatorModeEvent(
      target,
      { from: current.mode, to: mode, origin, who },
      { ...this.context(governor), time },
    );
    try {
      await this.deps.store.save(target, clear ? undefined : { target, mode, by: who, at: time }, event);
    } catch (error) {
      this.deps.log.error(
        { target, err: error, inForce: current.mode },
        'governor mode change not recorded in the history store: not applied',
      );
      throw new ModeNotPersistedError(target, current.mode, { cause: error });
    }
    const change = governor.applyMode(mode, origin);
    this.override.set({ target }, clear ? 0 : 1);
    return { ...change, by: who, at: new Date(time).toISOString(), changed: true };
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
