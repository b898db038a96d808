import { Logger } from 'pino';
import { Registry } from 'prom-client';
import { FindingKind, rowCounterMetric, RowCounters } from '../catalog/findings';
import { findingSql } from '../catalog/findings/sql';
import { LatestObservations } from '../collectors/latest-observations';
import { Observation, Sample, SnapshotRow } from '../collectors/types';
import { FindingKindConfig, FindingsConfig } from '../config/findings-schema';
import { CollectorStatus } from '../scheduler/loop-runner';
import { HistoryWriter } from '../store/types';
import { CounterHistory } from './counter-history';
import { findingEvent } from './events';
import { IgnoreList } from './ignore-list';
import { registerFindingsMetrics } from './metrics';
import { reconcile } from './reconcile';
import { FindingsFilter, selectFindings } from './select';
import { Check, CheckInput, CheckStatus, FindingRecord } from './types';

/** Resolved findings stay listed (state resolved) this long. */
export const RESOLVED_KEEP_MS = 24 * 3600 * 1000;
/** The longest window a counter is kept for, whatever window_s says. */
const MAX_WINDOW_MS = 6 * 3600 * 1000;

export interface FindingsEngineOptions {
  kinds: readonly FindingKind[];
  checks: Readonly<Record<string, Check>>;
  /** config.findings: enable flags and thresholds per kind (absent: the kind's defaults). */
  config: FindingsConfig;
  latest: LatestObservations;
  /** A collector's state on a target (Collection.collectorStatus): failing inputs fail the check. */
  collectorStatus: (target: string, collector: string) => CollectorStatus | undefined;
  /** The targets to report check statuses for (those not observed yet are pending). */
  targets: () => string[];
  /** The history store's writer: transitions become events (annotations). */
  events?: Pick<HistoryWriter, 'writeEvent'>;
  registry?: Registry;
  log: Logger;
  /** The target's PostgreSQL major, to show the SQL file it runs. */
  serverMajor?: (target: string) => number | undefined;
}

/** A kind's check on a target: its last run, and the findings it holds (as of its last good run). */
interface CheckState {
  /** Absent for findings adopted from a previous owner until the check first runs here. */
  lastRunAt?: number;
  error?: string;
  records: FindingRecord[];
  /** Findings its last run found on objects findings.<kind>.ignore names (not raised). */
  ignored?: number;
}

/**
 * Runs each finding kind's check on a target whenever one of its input collectors publishes an
 * observation (on the loops that already run: no statement of its own), and keeps the findings
 * with their first and last sight. Transitions (new, escalated, resolved) are events. A check that
 * throws, or whose input collector failed, is reported as failed and leaves the findings as they
 * were: never an empty "no findings".
 */
export class FindingsEngine {
  /** Per target, per kind: what forget(target) drops with the target's counters. */
  private readonly byTarget = new Map<string, Map<string, CheckState>>();
  private readonly byCollector = new Map<string, FindingKind[]>();
  private readonly counters: CounterHistory;
  /**
   * The collectors whose observations feed a counter a kind reads (counters are the inputs' own,
   * catalog test), with the row counters of their snapshots: other observations record nothing.
   */
  private readonly counterInputs = new Map<string, RowCounters[]>();
  private readonly log: Logger;
  private readonly checkErrors: { inc(labels: { kind: string }): void } | undefined;
  private readonly ignoreLists = new Map<string, IgnoreList>();

  constructor(private readonly options: FindingsEngineOptions) {
    this.log = options.log.child({ component: 'findings' });
    /** How long each counter is kept: the longest window a kind reads it over. */
    const counterAges = new Map<string, number>();
    for (const kind of options.kinds) {
      if (!options.checks[kind.id]) throw new Error(`finding kind ${kind.id} has no check`);
      this.ignoreLists.set(kind.id, new IgnoreList(options.config[kind.id]?.ignore));
      const windowMs = Math.min((this.params(kind).window_s ?? 0) * 1000, MAX_WINDOW_MS);
      const rows = kind.rowCounters;
      const metrics = [
        ...(kind.counters ?? []),
        ...(rows?.columns.map((c) => rowCounterMetric(rows.snapshot, c)) ?? []),
      ];
      for (const metric of metrics) counterAges.set(metric, Math.max(counterAges.get(metric) ?? 0, windowMs));
      for (const input of kind.inputs) {
        const kinds = this.byCollector.get(input.collector) ?? [];
        this.byCollector.set(input.collector, [...kinds, kind]);
        if (metrics.length === 0) continue;
        const specs = this.counterInputs.get(input.collector) ?? [];
        this.counterInputs.set(input.collector, rows ? [...specs, rows] : specs);
      }
    }
    this.counters = new CounterHistory(counterAges);
    this.checkErrors = options.registry
      ? registerFindingsMetrics(options.registry, () => this.findings({ state: ['open'] })).checkErrors
      : undefined;
  }

  /** The bus consumer: runs the checks that read this collector, on this target. */
  readonly consume = (observation: Observation): void => {
    const rowCounters = this.counterInputs.get(observation.collector);
    if (rowCounters)
      this.counters.record(
        observation.target,
        rowCounters.length > 0
          ? [...observation.samples, ...rowCounterSamples(observation, rowCounters)]
          : observation.samples,
        observation.time,
      );
    for (const kind of this.byCollector.get(observation.collector) ?? [])
      if (this.enabled(kind)) this.run(kind, observation.target, observation.time);
  };

  /**
   * The target stopped here (removed from the inventory, or handed to another replica): its
   * findings, runs and counters are dropped, not resolved (nothing showed the condition gone).
   */
  forget(target: string): void {
    this.byTarget.delete(target);
    this.counters.forget(target);
  }

  /**
   * Findings a target's previous owner (or this replica before a restart) held, for a target that
   * starts here before its checks run: if a check still finds one it carries on (its id and first
   * sight kept, no new event), if not it resolves. Kinds not enabled here, and resolved findings
   * past their keep time, are left out; a target that already has findings here keeps its own.
   */
  adopt(target: string, records: readonly FindingRecord[], now: number): void {
    if (this.byTarget.has(target)) return;
    const kinds = new Map<string, CheckState>();
    for (const record of records) {
      const kind = this.options.kinds.find((k) => k.id === record.kind);
      if (!kind || !this.enabled(kind) || record.target !== target) continue;
      if (record.state === 'resolved' && now - (record.resolvedAt ?? 0) > RESOLVED_KEEP_MS) continue;
      const state = kinds.get(kind.id) ?? { records: [] };
      state.records.push(record);
      kinds.set(kind.id, state);
    }
    if (kinds.size > 0) this.byTarget.set(target, kinds);
  }

  /** Findings held now, filtered; the most severe and newest first. */
  findings(filter: FindingsFilter = {}): FindingRecord[] {
    const records = [...this.byTarget.values()].flatMap((kinds) =>
      [...kinds.values()].flatMap((k) => k.records),
    );
    return selectFindings(records, filter);
  }

  /** Whether each kind's check ran on each target, with why not. */
  checks(filter: Pick<FindingsFilter, 'targets' | 'kinds'> = {}): CheckStatus[] {
    const out: CheckStatus[] = [];
    const targets = [...new Set([...this.options.targets(), ...this.options.latest.targets()])].sort();
    for (const target of targets) {
      if (filter.targets && !filter.targets.includes(target)) continue;
      for (const kind of this.options.kinds) {
        if (filter.kinds && !filter.kinds.includes(kind.id)) continue;
        out.push(this.status(kind, target));
      }
    }
    return out;
  }

  private status(kind: FindingKind, target: string): CheckStatus {
    const run = this.byTarget.get(target)?.get(kind.id);
    const open = (run?.records ?? []).filter((r) => r.state === 'open').length;
    const base = { target, kind: kind.id, open, ...(run?.ignored ? { ignored: run.ignored } : {}) };
    if (!this.enabled(kind)) return { ...base, state: 'disabled' };
    const at = run?.lastRunAt !== undefined ? { lastRunAt: run.lastRunAt } : {};
    // An input failing now outranks the last run: its findings are as of before the failure.
    const inputs = kind.inputs.map((i) => ({
      name: i.collector,
      status: this.options.collectorStatus(target, i.collector),
    }));
    for (const { name, status } of inputs)
      if (status?.state === 'failing' || status?.state === 'waiting')
        return {
          ...base,
          ...at,
          state: 'failed',
          error: `collector ${name} ${status.state === 'waiting' ? 'cannot run' : 'failing'}: ${status.error ?? 'unknown error'}`,
        };
    if (inputs.every((i) => i.status?.state === 'skipped'))
      return {
        ...base,
        ...at,
        state: 'skipped',
        error: `collector ${inputs.map((i) => i.name).join(', ')} does not run on this server`,
      };
    if (!run || run.lastRunAt === undefined) return { ...base, state: 'pending' };
    return run.error
      ? { ...base, ...at, state: 'failed', error: run.error }
      : { ...base, ...at, state: 'ok' };
  }

  private enabled(kind: FindingKind): boolean {
    return this.options.config[kind.id]?.enabled !== false;
  }

  /** findings.<kind>.<param> as configured, else the kind's defaults; a flag as 1 or 0. */
  private params(kind: FindingKind): Record<string, number> {
    const configured: Partial<FindingKindConfig> = this.options.config[kind.id] ?? {};
    return Object.fromEntries(
      Object.entries(kind.params).map(([name, p]) => {
        const value = configured[name];
        const chosen = typeof value === typeof p.default ? (value as number | boolean) : p.default;
        return [name, Number(chosen)];
      }),
    );
  }

  private run(kind: FindingKind, target: string, now: number): void {
    const observations: Observation[] = [];
    for (const input of kind.inputs) {
      const observation = this.options.latest.get(target, input.collector);
      const state = this.options.collectorStatus(target, input.collector)?.state;
      if (!observation && state !== 'skipped') return; // Not observed yet, or failed: the status says which.
      if (observation) observations.push(observation);
    }
    let kinds = this.byTarget.get(target);
    if (!kinds) this.byTarget.set(target, (kinds = new Map()));
    const previous = kinds.get(kind.id)?.records ?? [];
    let drafts;
    try {
      drafts = this.options.checks[kind.id]?.(this.input(target, now, observations, this.params(kind))) ?? [];
    } catch (error) {
      const message = `check failed: ${(error as Error).message}`;
      if (kinds.get(kind.id)?.error !== message)
        this.log.error({ target, kind: kind.id, err: error }, 'finding check failed');
      kinds.set(kind.id, { lastRunAt: now, error: message, records: previous });
      this.checkErrors?.inc({ kind: kind.id });
      return;
    }
    const ignore = this.ignoreLists.get(kind.id);
    const raised = ignore && !ignore.empty ? drafts.filter((d) => !ignore.matches(d.object)) : drafts;
    const ignored = drafts.length - raised.length;
    // A finding open before its object was ignored resolves at this run.
    const { records, transitions } = reconcile(previous, raised, {
      kind: kind.id,
      target,
      now,
      sql: findingSql(kind, this.options.serverMajor?.(target)),
      runbook: kind.runbook,
      resolvedKeepMs: RESOLVED_KEEP_MS,
    });
    kinds.set(kind.id, { lastRunAt: now, records, ...(ignored > 0 ? { ignored } : {}) });
    for (const transition of transitions) {
      this.log.info(
        {
          target,
          kind: kind.id,
          finding: transition.record.id,
          severity: transition.record.severity,
          transition: transition.type,
        },
        'finding',
      );
      this.options.events?.writeEvent(findingEvent(transition));
    }
  }

  private input(
    target: string,
    now: number,
    observations: Observation[],
    params: Record<string, number>,
  ): CheckInput {
    const rows = (kind: string): SnapshotRow[] => {
      let newest: { time: number; rows: SnapshotRow[] } | undefined;
      for (const o of observations)
        for (const s of o.snapshots)
          if (s.kind === kind && (!newest || o.time > newest.time)) newest = { time: o.time, rows: s.rows };
      return newest?.rows ?? [];
    };
    const samples = (metric: string): Sample[] =>
      observations.flatMap((o) => o.samples.filter((s) => s.metric === metric));
    return {
      target,
      now,
      params,
      rows,
      samples,
      increase: (metric, windowMs) => this.counters.increase(target, metric, windowMs, now),
    };
  }
}

/** The row counters of an observation's snapshots, as samples labelled by their rows' keys. */
function rowCounterSamples(observation: Observation, specs: readonly RowCounters[]): Sample[] {
  const samples: Sample[] = [];
  for (const spec of specs)
    for (const snapshot of observation.snapshots) {
      if (snapshot.kind !== spec.snapshot) continue;
      for (const row of snapshot.rows) {
        const labels = Object.fromEntries(spec.key.map((k) => [k, String(row[k] ?? '')]));
        for (const column of spec.columns) {
          const value = row[column];
          if (typeof value === 'number')
            samples.push({ metric: rowCounterMetric(spec.snapshot, column), labels, value });
        }
      }
    }
  return samples;
}
