import { Severity } from '../config/alerts-schema';
import { Labels, Sample, SnapshotRow } from '../collectors/types';
import { SqlText } from '../contract/catalog';

/** What a finding is about. `name` is qualified where that helps (schema.table, schema.index). */
export interface FindingObject {
  type:
    | 'server'
    | 'database'
    | 'relation'
    | 'index'
    | 'sequence'
    | 'trigger'
    | 'session'
    | 'statement'
    | 'prepared_transaction'
    | 'replication_slot'
    | 'subscription'
    | 'standby'
    | 'setting'
    | 'schema'
    | 'function'
    | 'view';
  name: string;
  database?: string | null;
}

/** What a human runs to fix it: statements (identifiers quoted) and steps. Never run by PG Governor. */
export interface Remediation {
  statements: string[];
  steps: string[];
}

/** A check's verdict on one object: the engine adds identity, times and state. */
export interface FindingDraft {
  object: FindingObject;
  severity: Severity;
  title: string;
  detail: string;
  /** The collected rows that prove it. */
  evidence: SnapshotRow[];
  remediation: Remediation;
  /** Tells apart findings of one kind on one object name (e.g. a session: pid and backend start). */
  key?: string;
}

/** The increase of a counter series over a window, from the observations the engine kept. */
export interface CounterIncrease {
  labels: Labels;
  increase: number;
  /** Time between the first and the last observation used (0 with a single one). */
  spanMs: number;
}

/** What a check reads: the newest observations of its inputs, and its thresholds. */
export interface CheckInput {
  target: string;
  /** Time of the observation that triggered the run (ms). */
  now: number;
  /** findings.<kind>.<param>, defaults filled in. */
  params: Record<string, number>;
  /** Rows of the newest snapshot of this kind among the inputs (empty when none). */
  rows(kind: string): SnapshotRow[];
  /** Samples of a metric among the inputs' newest observations. */
  samples(metric: string): Sample[];
  /** A counter's increase per series over the last windowMs (resets counted from zero). */
  increase(metric: string, windowMs: number): CounterIncrease[];
}

/** A check: a pure function of collected rows. It may throw; the engine reports that as a failure. */
export type Check = (input: CheckInput) => FindingDraft[];

export type FindingState = 'open' | 'resolved';

/** A finding as the engine holds it. */
export interface FindingRecord extends FindingDraft {
  /** Stable for one occurrence: the target, the kind, the object and when it was first seen. */
  id: string;
  key: string;
  kind: string;
  target: string;
  state: FindingState;
  firstSeen: number;
  lastSeen: number;
  resolvedAt?: number;
  sql: SqlText[];
  runbook: string;
}

/**
 * Whether a kind's check ran on a target: ok, failed (its check threw, or an input collector
 * failed or cannot reach the target: findings are then as of the last good run), pending (no input
 * observed yet), skipped (an input does not apply, e.g. a primary-only collector on a standby) or
 * disabled by configuration.
 */
export interface CheckStatus {
  target: string;
  kind: string;
  state: 'ok' | 'failed' | 'pending' | 'skipped' | 'disabled';
  error?: string;
  lastRunAt?: number;
  open: number;
}
