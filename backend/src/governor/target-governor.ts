import { Logger } from 'pino';
import { GovernorMode, TargetConfig } from '../config/schema';
import {
  actionStarted,
  CIRCUIT_VALUE,
  circuitAllowance,
  circuitAt,
  CircuitName,
  CircuitState,
  recordFailure,
  recordNeutral,
  recordSuccess,
} from './circuit-breaker';
import { decide } from './decide';
import { ChosenAction, Decision, Rule } from './decision';
import { DecisionJournal } from './decision-journal';
import { SignalExecutor, SignalResult } from './executor';
import { GovernorMetrics } from './governor-metrics';
import { GovernorState, initialState, liveCancels, sessionKey } from './governor-state';
import { actionEvent, circuitEvent, EventSink, leaseEvent, modeEvent, notRelievedEvent } from './journal';
import { GovernorLease } from './lease';
import { atLeast, LEVEL_VALUE, Level } from './levels';
import { CONFIGURED, describeOrigin, ModeOrigin } from './mode-origin';
import { recentTimes } from './rate-limit';
import { reliefVerdict } from './relief';
import { ActivitySnapshot } from './snapshot';

/** A target's hot loop, as the governor drives it (LoopRunner). */
export interface LoopCadence {
  setCadence(intervalMs: number | undefined): void;
  requestTick(delayMs: number): void;
}

export interface TargetGovernorDeps {
  executor: SignalExecutor;
  lease: GovernorLease;
  events: EventSink;
  metrics: GovernorMetrics;
  log: Logger;
  /** Looked up on use: the collection may be built after the governor. */
  cadence?: () => LoopCadence | undefined;
  now: () => number;
}

/** One decision and what became of it. */
export interface CycleReport {
  decision: Decision;
  mode: GovernorMode;
  leaseHeld: boolean;
  /** Enforce mode: every action attempted, in order, with its result. */
  results: { action: ChosenAction; result: SignalResult }[];
  /** Chosen but not attempted: the circuit opened or the target stopped answering during the cycle. */
  notAttempted: { action: ChosenAction; why: string }[];
  circuit: CircuitName;
}

export interface TargetGovernorStatus {
  target: string;
  mode: GovernorMode;
  /** Why this mode: the configuration, or an operator's override (who, when). */
  modeOrigin: ModeOrigin;
  instance: string;
  leaseHeld: boolean;
  leaseHolder?: string;
  level: Level;
  usage?: number;
  shedding: boolean;
  circuit: CircuitName;
  lastDecisionAt?: number;
}

export interface ModeChange {
  target: string;
  mode: GovernorMode;
  previous: GovernorMode;
  changed: boolean;
  by: string;
  at: string;
  /** What the mode now in force comes from. */
  source: ModeOrigin['source'];
}

/** Terminations that answer connection pressure: judged by whether the pressure fell (relief.ts). */
const PRESSURE_RULES: ReadonlySet<Rule> = new Set<Rule>(['idle_over_limit', 'shed_load']);

/**
 * One target's governor: on each activity snapshot it decides (pure), raises the hot loop's
 * cadence under pressure, checks the lease, journals, and in enforce mode acts one session at a
 * time through the executor, feeding the results to the circuit breaker and the rate limit.
 * Snapshots that arrive while it is still acting are skipped (counted), never queued.
 */
export class TargetGovernor {
  private mode: GovernorMode;
  private origin: ModeOrigin = CONFIGURED;
  private state: GovernorState = initialState();
  private busy = false;
  private leaseHeld: boolean | undefined;
  private leaseHolder: string | undefined;
  private last: Decision | undefined;
  private readonly journal: DecisionJournal;

  constructor(
    readonly target: TargetConfig,
    private readonly deps: TargetGovernorDeps,
  ) {
    this.mode = target.governor.mode;
    this.journal = new DecisionJournal(deps.events);
    this.setModeMetric();
    deps.metrics.circuit.set({ target: target.name }, CIRCUIT_VALUE.closed);
    deps.metrics.leaseHeld.set({ target: target.name }, 0);
  }

  private get settings() {
    return this.target.governor;
  }

  private get labels() {
    return { target: this.target.name };
  }

  private context(time = this.deps.now()) {
    return { time, instance: this.deps.lease.instance };
  }

  async handle(snapshot: ActivitySnapshot): Promise<CycleReport | undefined> {
    if (this.busy) {
      this.deps.metrics.skippedCycles.inc(this.labels);
      return undefined;
    }
    this.busy = true;
    try {
      return await this.cycle(snapshot);
    } finally {
      this.busy = false;
    }
  }

  private async cycle(snapshot: ActivitySnapshot): Promise<CycleReport> {
    const now = this.deps.now();
    this.warm();
    this.setCircuit(circuitAt(this.state.circuit, this.settings.circuit, now), 'cooldown over');
    this.judgeRelief(snapshot, now);
    this.state = {
      ...this.state,
      recentActions: recentTimes(this.state.recentActions, now),
      cancels: liveCancels(this.state.cancels, snapshot.sessions),
    };

    const decision = decide(snapshot, this.settings, this.state, now);
    this.last = decision;
    this.state = { ...this.state, shedding: decision.shedding };
    this.deps.metrics.level.set(this.labels, LEVEL_VALUE[decision.level]);
    this.deps.metrics.usage.set(this.labels, decision.usage);
    this.deps.metrics.shedding.set(this.labels, decision.shedding ? 1 : 0);
    this.deps.metrics.decisions.inc({ ...this.labels, level: decision.level });
    this.adjustCadence(decision);

    const report: CycleReport = {
      decision,
      mode: this.mode,
      leaseHeld: false,
      results: [],
      notAttempted: [],
      circuit: this.state.circuit.state,
    };
    report.leaseHeld = await this.checkLease();
    // A standby decides (its metrics say what it sees) but neither journals nor acts.
    if (!report.leaseHeld) return report;

    const mode = this.mode;
    this.journal.record(decision, {
      mode,
      instance: this.deps.lease.instance,
      repeatS: this.settings.journal_repeat_s,
      now,
    });
    if (mode === 'dry-run') this.simulate(decision, now);
    if (mode === 'enforce') await this.enforce(decision, report);
    report.circuit = this.state.circuit.state;
    return report;
  }

  /** Dry-run: count what enforce would do, and carry it in the state as if done (rate limit, cancels). */
  private simulate(decision: Decision, now: number): void {
    for (const action of decision.chosen) {
      this.deps.metrics.wouldAct.inc({ ...this.labels, action: action.action });
      if (action.action === 'cancel') this.rememberCancel(action, now);
    }
    this.state = {
      ...this.state,
      recentActions: [...this.state.recentActions, ...decision.chosen.map(() => now)],
    };
  }

  private async enforce(decision: Decision, report: CycleReport): Promise<void> {
    const pressureSignalled: string[] = [];
    const chosen = decision.chosen;
    for (let i = 0; i < chosen.length; i++) {
      const action = chosen[i] as ChosenAction;
      // A failure earlier in this cycle may have opened the circuit.
      if (circuitAllowance(this.state.circuit) === 0) {
        report.notAttempted.push(
          ...chosen.slice(i).map((a) => ({ action: a, why: `circuit ${this.state.circuit.state}` })),
        );
        break;
      }
      this.state = { ...this.state, circuit: actionStarted(this.state.circuit) };
      const result = await this.deps.executor.signal(action, this.settings.allow_superuser_termination);
      const at = this.deps.now();
      report.results.push({ action, result });
      this.deps.metrics.actions.inc({ ...this.labels, action: action.action, result: result.outcome });
      this.deps.events.writeEvent(actionEvent(this.target.name, action, result, this.context(at)));
      this.deps.log.warn(
        {
          target: this.target.name,
          pid: action.pid,
          action: action.action,
          rule: action.rule,
          result: result.outcome,
          err: result.error,
        },
        'governor intervention',
      );
      if (result.outcome === 'not_reverified') {
        this.setCircuit(recordNeutral(this.state.circuit), 'the probe session no longer qualified');
        continue;
      }
      // Signalled or not, an attempt counts against the per-minute limit.
      this.state = { ...this.state, recentActions: [...this.state.recentActions, at] };
      if (result.outcome === 'signalled') {
        if (action.action === 'cancel') this.rememberCancel(action, at);
        if (PRESSURE_RULES.has(action.rule))
          pressureSignalled.push(sessionKey(action.pid, action.backendStartUs));
        else this.setCircuit(recordSuccess(this.state.circuit), 'an intervention succeeded');
        continue;
      }
      const why =
        result.outcome === 'refused'
          ? `the server refused to ${action.action} pid ${action.pid}`
          : `${action.action} pid ${action.pid} failed: ${result.error ?? 'error'}`;
      this.setCircuit(recordFailure(this.state.circuit, this.settings.circuit, at), why);
      if (result.unreachable) {
        report.notAttempted.push(
          ...chosen.slice(i + 1).map((a) => ({ action: a, why: 'the target did not answer' })),
        );
        break;
      }
    }
    if (pressureSignalled.length > 0) {
      this.state = {
        ...this.state,
        pendingRelief: { actedAt: this.deps.now(), usedBefore: decision.used, signalled: pressureSignalled },
      };
      // Look again as soon as the terminated backends are gone, rather than at the next tick.
      this.deps.cadence?.()?.requestTick(this.settings.recheck_after_action_ms);
    }
  }

  private rememberCancel(action: ChosenAction, at: number): void {
    const cancels = new Map(this.state.cancels);
    cancels.set(sessionKey(action.pid, action.backendStartUs), {
      cancelledAt: at,
      queryStartMs: action.queryStartMs,
    });
    this.state = { ...this.state, cancels };
  }

  /** Terminations under pressure succeed or fail on the next snapshot: did the pressure fall? */
  private judgeRelief(snapshot: ActivitySnapshot, now: number): void {
    const pending = this.state.pendingRelief;
    if (!pending) return;
    const relieved = reliefVerdict(pending, snapshot, this.settings);
    if (relieved === undefined) return;
    const { pendingRelief: _judged, ...rest } = this.state;
    this.state = rest;
    if (relieved) {
      this.setCircuit(recordSuccess(this.state.circuit), 'terminations relieved the pressure');
      return;
    }
    const relief = { usedBefore: pending.usedBefore, usedAfter: snapshot.used, usage: snapshot.usage };
    this.deps.events.writeEvent(notRelievedEvent(this.target.name, relief, this.context(now)));
    this.setCircuit(
      recordFailure(this.state.circuit, this.settings.circuit, now),
      `terminations did not relieve the pressure (${relief.usedBefore} -> ${relief.usedAfter} client backends)`,
    );
  }

  private setCircuit(next: CircuitState, why: string): void {
    const previous = this.state.circuit;
    this.state = { ...this.state, circuit: next };
    if (previous.state === next.state) return;
    this.deps.metrics.circuit.set(this.labels, CIRCUIT_VALUE[next.state]);
    const failures = next.state === 'open' ? next.failures : undefined;
    this.deps.events.writeEvent(
      circuitEvent(
        this.target.name,
        { from: previous.state, to: next.state, why, ...(failures !== undefined ? { failures } : {}) },
        this.context(),
      ),
    );
    const log =
      next.state === 'open'
        ? this.deps.log.error.bind(this.deps.log)
        : this.deps.log.warn.bind(this.deps.log);
    log({ target: this.target.name, circuit: next.state, why }, `governor circuit ${next.state}`);
  }

  /** While usage is at warn or above, the hot loop runs at urgent_interval_ms (not in observe mode: nothing to act on). */
  private adjustCadence(decision: Decision): void {
    const urgent = this.mode !== 'observe' && (atLeast(decision.level, 'warn') || decision.shedding);
    this.deps.cadence?.()?.setCadence(urgent ? this.settings.urgent_interval_ms : undefined);
  }

  private async checkLease(): Promise<boolean> {
    const lease = await this.deps.lease.check(this.target.name);
    if (lease.held !== this.leaseHeld) {
      this.deps.metrics.leaseHeld.set(this.labels, lease.held ? 1 : 0);
      this.deps.events.writeEvent(leaseEvent(this.target.name, lease, this.context()));
      this.deps.log.info(
        {
          target: this.target.name,
          held: lease.held,
          holder: lease.holder,
          instance: this.deps.lease.instance,
        },
        'governor lease',
      );
    }
    this.leaseHeld = lease.held;
    this.leaseHolder = lease.holder;
    return lease.held;
  }

  /** The mode in force and why. */
  modeInForce(): { mode: GovernorMode; origin: ModeOrigin } {
    return { mode: this.mode, origin: this.origin };
  }

  /**
   * Puts a mode in force (the caller journals it: OperatorModes, after storing it). Returns the
   * change; nothing changes when mode and origin are the ones in force.
   */
  applyMode(mode: GovernorMode, origin: ModeOrigin): ModeChange {
    const previous = this.mode;
    const now = this.deps.now();
    const change: ModeChange = {
      target: this.target.name,
      mode,
      previous,
      changed: mode !== previous,
      by: origin.source === 'operator' ? origin.by : 'configuration',
      at: new Date(origin.source === 'operator' ? origin.at : now).toISOString(),
      source: origin.source,
    };
    this.origin = origin;
    if (!change.changed) return change;
    this.mode = mode;
    // What dry-run counted was never done: enforce starts with a clean rate limit and no cancels.
    if (previous === 'dry-run') this.state = { ...this.state, recentActions: [], cancels: new Map() };
    if (mode === 'observe') this.deps.cadence?.()?.setCadence(undefined);
    this.setModeMetric();
    this.deps.log.warn(
      { target: this.target.name, mode, previous, origin: describeOrigin(origin) },
      'governor mode changed',
    );
    return change;
  }

  /** A run-time change held in memory only, journaled through the buffered writer (tests, tools). */
  setMode(mode: GovernorMode, who: string): ModeChange {
    const now = this.deps.now();
    const change = this.applyMode(mode, { source: 'operator', by: who, at: now });
    if (change.changed)
      this.deps.events.writeEvent(
        modeEvent(this.target.name, { from: change.previous, to: mode, who }, this.context(now)),
      );
    return change;
  }

  private setModeMetric(): void {
    for (const mode of ['observe', 'dry-run', 'enforce'] as const)
      this.deps.metrics.mode.set({ ...this.labels, mode }, mode === this.mode ? 1 : 0);
  }

  status(): TargetGovernorStatus {
    return {
      target: this.target.name,
      mode: this.mode,
      modeOrigin: this.origin,
      instance: this.deps.lease.instance,
      leaseHeld: this.leaseHeld === true,
      ...(this.leaseHolder ? { leaseHolder: this.leaseHolder } : {}),
      level: this.last?.level ?? 'normal',
      ...(this.last ? { usage: this.last.usage, lastDecisionAt: this.last.time } : {}),
      shedding: this.state.shedding,
      circuit: circuitAt(this.state.circuit, this.settings.circuit, this.deps.now()).state,
    };
  }

  /**
   * Opens the governor connection ahead of need, so that it is there when the cluster is full.
   * In every mode: an on-call engineer switches dry-run to enforce in the middle of an incident,
   * when no connection could be opened any more.
   */
  warm(): void {
    this.deps.executor.warm();
  }

  async stop(): Promise<void> {
    this.deps.cadence?.()?.setCadence(undefined);
    await this.deps.executor.close();
  }
}
