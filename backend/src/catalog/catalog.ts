import { LoopName } from '../config/schema';
import { SqlText } from '../contract/catalog';
import { EventKind } from '../contract/events';
import { EVENT_COLUMNS, EVENT_TABLES } from './event-tables';
import { FINDINGS_TABLE } from './findings/table';
import { sqlTextsOf } from './sql-texts';
import { CollectorDefinition, MetricDefinition, SnapshotColumn } from './types';
import { rateUnit } from './units';

export interface MetricEntry extends MetricDefinition {
  collector: string;
  loop: LoopName;
  /** Counters are queried as per-second rates, in this unit. */
  rateUnit?: string;
  sql: SqlText[];
}

export interface TableEntry {
  kind: string;
  description: string;
  source: 'snapshot' | 'events' | 'findings';
  columns: SnapshotColumn[];
  /** Collectors that take this snapshot (replication: the primary's and the standby's). */
  collectors: string[];
  loop?: LoopName;
  /** For event tables: the event kinds shown (empty: all). */
  eventKinds?: EventKind[];
  sql: SqlText[];
}

/**
 * Every metric and table the API can answer, built from the collector definitions (the built-in
 * ones and those of the configured custom metrics): what the plugin's editor lists, what requests
 * are checked against (unknown metric -> 400), and what the dashboards are generated from.
 */
export class Catalog {
  readonly metrics = new Map<string, MetricEntry>();
  readonly tables = new Map<string, TableEntry>();
  /** Names of the collectors the catalog was built from. */
  readonly collectors: string[];

  constructor(collectors: readonly CollectorDefinition[]) {
    this.collectors = collectors.map((c) => c.name);
    for (const collector of collectors) {
      const sql = collector.queries.flatMap(sqlTextsOf);
      for (const metric of collector.metrics) {
        if (this.metrics.has(metric.name)) continue;
        this.metrics.set(metric.name, {
          ...metric,
          collector: collector.name,
          loop: collector.loop,
          ...(metric.type === 'counter' ? { rateUnit: rateUnit(metric.unit) } : {}),
          sql,
        });
      }
      for (const snapshot of collector.snapshots ?? []) {
        const known = this.tables.get(snapshot.kind);
        if (known) {
          known.collectors.push(collector.name);
          known.sql.push(...sql);
          continue;
        }
        this.tables.set(snapshot.kind, {
          kind: snapshot.kind,
          description: snapshot.description,
          source: 'snapshot',
          columns: snapshot.columns,
          collectors: [collector.name],
          loop: collector.loop,
          sql: [...sql],
        });
      }
    }
    this.tables.set(FINDINGS_TABLE.kind, {
      ...FINDINGS_TABLE,
      source: 'findings',
      collectors: [],
      sql: [],
    });
    for (const table of EVENT_TABLES) {
      this.tables.set(table.kind, {
        kind: table.kind,
        description: table.description,
        source: 'events',
        columns: EVENT_COLUMNS,
        collectors: [],
        eventKinds: table.eventKinds,
        sql: [],
      });
    }
  }

  /** The collector that produces a metric, for reading its latest observation. */
  collectorOf(metric: string): string | undefined {
    return this.metrics.get(metric)?.collector;
  }

  toJSON(): { metrics: MetricEntry[]; tables: TableEntry[] } {
    return { metrics: [...this.metrics.values()], tables: [...this.tables.values()] };
  }
}
