import { LoopName } from '../config/schema';

/**
 * What exists, as data: the metric families and table kinds each collector produces, with the
 * loop it runs on and the sql/collectors files it reads. The catalog API, the exporter, the
 * dashboard generator and the docs read these; the collectors add how to collect them.
 */

export type MetricType = 'gauge' | 'counter';

export interface MetricDefinition {
  name: string;
  help: string;
  type: MetricType;
  /** Grafana unit id: short, percentunit, s, ms, bytes, ops, Bps, ... */
  unit: string;
  /** Label names other than `target`. */
  labels: string[];
}

export type CellType = 'string' | 'number' | 'boolean' | 'time';

export interface SnapshotColumn {
  name: string;
  type: CellType;
  unit?: string;
  description?: string;
}

export interface SnapshotDefinition {
  kind: string;
  description: string;
  columns: SnapshotColumn[];
}

/** A collector as data: what it produces, on which loop, from which SQL files, and where it runs. */
export interface CollectorDefinition {
  /** Stable: metric labels, configuration keys and API output use it. */
  name: string;
  loop: LoopName;
  description: string;
  /** The sql/collectors files it runs (base names), for the catalog. */
  queries: string[];
  metrics: MetricDefinition[];
  snapshots?: SnapshotDefinition[];
  /**
   * What it reads: the target's PostgreSQL (default) or the target's PgBouncer admin console. A
   * PgBouncer collector runs beside the PostgreSQL ones on its own connection, whether or not
   * PostgreSQL answers, and is skipped on targets with no PgBouncer configured.
   */
  source?: 'postgres' | 'pgbouncer';
  /** Skipped (not failed) on a standby. */
  primaryOnly?: boolean;
}

/** A column of a collector's rows exported as it reads (a cumulative counter): one metric family. */
export interface CounterColumn {
  /** The column of the sql/collectors row. */
  column: string;
  metric: string;
  help: string;
  unit: string;
}
