import { Level } from './levels';

export type Action = 'terminate' | 'cancel';

/** Why a session was chosen. */
export type Rule =
  /** ≥ optimize: idle longer than idle_terminate_after_s. */
  | 'idle_over_limit'
  /** ≥ critical (until usage is below optimize again): idle, then idle in transaction, then active. */
  | 'shed_load'
  /** Any pressure: idle in transaction longer than idle_in_transaction_timeout_s. */
  | 'idle_in_transaction_timeout'
  /** Any pressure: a query running longer than active_query_timeout_s is cancelled. */
  | 'active_query_timeout'
  /** The cancelled query still runs after cancel_grace_s: the session is terminated. */
  | 'still_running_after_cancel';

/** What must still hold on the server, checked in the statement that signals (sql/governor). */
export interface Requalification {
  states: string[];
  /** state_change at least this many seconds ago. */
  stateOlderThanS?: number;
  /** query_start at least this many seconds ago. */
  queryOlderThanS?: number;
  /** query_start not after this (ms, server clock): the very query that was cancelled. */
  queryStartedByMs?: number;
}

export interface ChosenAction {
  pid: number;
  backendStartUs: string;
  action: Action;
  rule: Rule;
  /** Human-readable. */
  reason: string;
  /** The state it was chosen in, and for how long (seconds) it had been qualifying. */
  state: string;
  seconds: number;
  usename: string | null;
  datname: string | null;
  applicationName: string | null;
  /** query_start of the session's query (ms, server clock), to recognise it after a cancel. */
  queryStartMs: number | null;
  requalify: Requalification;
}

export interface SkippedSession {
  pid: number;
  backendStartUs: string;
  why: string;
}

export interface Decision {
  target: string;
  /** When the snapshot was taken (ms). */
  time: number;
  level: Level;
  usage: number;
  used: number;
  usable: number;
  /** A critical episode in progress: load is shed until usage is below optimize again. */
  shedding: boolean;
  /** Client backends that must go for usage to be below optimize (while shedding). */
  need: number;
  /** Sessions that any rule selected, before the safety filter and the limits. */
  candidates: number;
  chosen: ChosenAction[];
  skipped: SkippedSession[];
  /** What bounded this cycle. */
  limits: { perCycle: number; perMinuteLeft: number; circuit: number };
}
