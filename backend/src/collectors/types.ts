import { CollectorDefinition } from '../catalog/types';
import { LoopName } from '../config/schema';
import { EventKind, EventSeverity } from '../contract/events';
import { ServerInfo } from '../db/server-info';

/**
 * What collectors produce. A collector turns one loop cycle on one target into Samples (numbers
 * for time series and /metrics) and Snapshots (rows for tables). What it produces is described by
 * its definition in catalog/collectors.
 */

export type Labels = Record<string, string>;

export interface Sample {
  metric: string;
  /** Without `target`: the consumers add it. Never SQL text, user names or PIDs. */
  labels: Labels;
  value: number;
}

export type Cell = string | number | boolean | null;
export type SnapshotRow = Record<string, Cell>;

export interface Snapshot {
  kind: string;
  rows: SnapshotRow[];
}

/** Per target and collector, kept between cycles (counters for deltas, query ids already seen). */
export type CollectorState = Map<string, unknown>;

export interface QueryOptions {
  /** Bind parameters; identifiers never reach SQL any other way. */
  params?: unknown[];
}

/** PgBouncer's admin console (database `pgbouncer`) of a target. */
export interface PgBouncerConsole {
  /** Runs sql/collectors/<name>.sql, a SHOW command: simple query protocol, no parameters. */
  show<Row extends Record<string, unknown> = Record<string, unknown>>(name: string): Promise<Row[]>;
}

export interface CollectContext {
  target: string;
  /** For a PgBouncer collector while PostgreSQL is down: what the server was when last identified. */
  server: ServerInfo;
  /** Runs sql/collectors/<name>.pgNN.sql (the variant for the server's major), within the loop's budget. */
  query<Row extends Record<string, unknown> = Record<string, unknown>>(
    name: string,
    options?: QueryOptions,
  ): Promise<Row[]>;
  /**
   * Runs SQL that comes from the configuration (custom metrics), not from sql/: in a read-only
   * transaction of its own, statement_timeout lowered to timeoutMs (never raised), within the budget.
   */
  queryConfigured?<Row extends Record<string, unknown> = Record<string, unknown>>(
    sql: string,
    options: QueryOptions & { timeoutMs: number },
  ): Promise<Row[]>;
  /** ms left of the loop's budget, for a collector that shares it out between independent statements. */
  budgetLeftMs?(): number;
  /** Set for collectors whose source is 'pgbouncer', on targets with a PgBouncer configured. */
  pgbouncer?: PgBouncerConsole;
  topN: { statements: number; relations: number; indexes: number };
  queryText: { maxLength: number; redact: boolean };
  /** How often database_stats reads the database sizes (database_sizes.interval_s), in ms. */
  databaseSizesIntervalMs: number;
  /** How often the relations collector ranks the relations by size (size_ranking.interval_s), in ms. */
  sizeRankingIntervalMs: number;
  state: CollectorState;
  /** Cycle time (ms since epoch); a fake clock in unit tests. */
  now: number;
}

/**
 * Something a collector saw happen between two of its cycles (a setting changed): recorded as an
 * event of the target at the cycle's time, so that it shows as an annotation. Values in it are as
 * shown to users (secrets masked).
 */
export interface CollectedEvent {
  kind: EventKind;
  severity: EventSeverity;
  title: string;
  text: string;
  tags: string[];
  data?: Record<string, unknown>;
}

export interface CollectResult {
  samples: Sample[];
  snapshots?: Snapshot[];
  events?: CollectedEvent[];
  /**
   * Part of the cycle failed, yet there are samples to publish (pgbouncer_up 0, the custom metrics
   * that did run): they are published and the collector is reported failing with this message.
   */
  error?: string;
}

/** A collector: its catalog definition, and how to run one cycle of it. */
export interface Collector extends CollectorDefinition {
  /** Skipped (not failed) when the condition is false, e.g. pg_stat_statements not usable. */
  enabled?: (server: ServerInfo) => boolean;
  collect(context: CollectContext): Promise<CollectResult>;
}

/** One collector's cycle on one target, as handed to every consumer. */
export interface Observation {
  target: string;
  collector: string;
  loop: LoopName;
  /** ms since epoch */
  time: number;
  samples: Sample[];
  snapshots: Snapshot[];
  /** What the cycle saw happen; the store writer records them as events. */
  events?: CollectedEvent[];
}
