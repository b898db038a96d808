import { Catalog, MetricEntry, TableEntry } from '../../catalog/catalog';
import { JsonObject, JsonValue, PanelSpec, pluginRef, prometheusRef } from './model';

/**
 * Panel builders. Units and the "where does this come from" part of each description are read
 * from the backend's catalog, so that a dashboard cannot disagree with what the API serves.
 */

export type Filters = Record<string, string | string[]>;

export interface SeriesOptions {
  filters?: Filters;
  groupBy?: string[];
  legend?: string;
  aggregation?: 'avg' | 'max' | 'min' | 'last' | 'sum';
  limit?: number;
}

/** A time series query of the backend, before it gets its refId. */
export interface SeriesQuery {
  metric: string;
  options: SeriesOptions;
}

export interface PromQuery {
  expr: string;
  legend: string;
}

/** Threshold steps: the base colour, then [value, colour] pairs in increasing order. */
export type Steps = [string, ...[number, string][]];

export interface PanelOptions {
  title: string;
  description: string;
  w: number;
  h: number;
  unit?: string;
  min?: number;
  max?: number;
  decimals?: number;
  thresholds?: Steps;
  /** Value mappings: value -> text (and colour). */
  mappings?: { value: number; text: string; color: string }[];
  /** Links in the panel header (to other dashboards, keeping time and variables). */
  links?: { title: string; url: string }[];
}

export interface TimeSeriesOptions extends PanelOptions {
  stack?: boolean;
  /** Draw the thresholds as lines (saturation ratios). */
  showThresholds?: boolean;
  draw?: 'line' | 'bars';
}

export interface TableOptions extends Omit<PanelOptions, 'unit'> {
  table: string;
  limit?: number;
  orderBy?: string;
  order?: 'asc' | 'desc';
  filters?: Filters;
  /** Columns not shown (still queried: the API returns every column). */
  hide?: string[];
  /** Thresholds (cell colour) of some columns. */
  columnThresholds?: Record<string, Steps>;
}

const VARIANT = /\.pg\d+\.sql$/;

/** "collectors/activity.pg14.sql", "collectors/activity.pg16.sql" -> "sql/collectors/activity.pg*.sql" */
function sqlFiles(entries: { file: string }[]): string[] {
  return [...new Set(entries.map((e) => `sql/${e.file.replace(VARIANT, '.pg*.sql')}`))];
}

function thresholds(steps: Steps | undefined): JsonObject {
  const [base, ...rest] = steps ?? ['green'];
  return {
    mode: 'absolute',
    steps: [{ color: base, value: null }, ...rest.map(([value, color]) => ({ color, value }))],
  };
}

function mappings(options: PanelOptions): JsonValue[] {
  if (!options.mappings) return [];
  return [
    {
      type: 'value',
      options: Object.fromEntries(
        options.mappings.map((m, index) => [String(m.value), { text: m.text, color: m.color, index }]),
      ),
    },
  ];
}

function links(options: PanelOptions): JsonValue[] {
  return (options.links ?? []).map((l) => ({ title: l.title, url: l.url }));
}

/** A table column's unit, from its name (the catalog's column naming conventions). */
export function columnUnit(name: string): string | undefined {
  if (name.endsWith('_bytes')) return 'bytes';
  if (name.endsWith('_seconds')) return 's';
  if (name.endsWith('_ms')) return 'ms';
  if (name.endsWith('_ratio')) return 'percentunit';
  if (name.endsWith('_percent')) return 'percent';
  return undefined;
}

const refIds = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(65 + i));

export class PanelKit {
  /**
   * @param catalog what the backend serves
   * @param multiTarget whether $target may hold several targets (then it is a filter, which takes lists)
   */
  constructor(
    readonly catalog: Catalog,
    readonly multiTarget: boolean,
  ) {}

  private metric(name: string): MetricEntry {
    const metric = this.catalog.metrics.get(name);
    if (!metric) throw new Error(`dashboard metric ${name} is not in the backend catalog`);
    return metric;
  }

  private tableEntry(kind: string): TableEntry {
    const table = this.catalog.tables.get(kind);
    if (!table) throw new Error(`dashboard table ${kind} is not in the backend catalog`);
    return table;
  }

  /** A series query; filters and groupBy are checked against the metric's labels here already. */
  series(metric: string, options: SeriesOptions = {}): SeriesQuery {
    const entry = this.metric(metric);
    for (const label of [...Object.keys(options.filters ?? {}), ...(options.groupBy ?? [])]) {
      if (!entry.labels.includes(label)) throw new Error(`metric ${metric} has no label ${label}`);
    }
    return { metric, options };
  }

  private scope(filters: Filters | undefined): { target?: string; filters?: Filters } {
    if (this.multiTarget) return { filters: { target: '$target', ...filters } };
    return { target: '$target', ...(filters && Object.keys(filters).length > 0 ? { filters } : {}) };
  }

  private seriesTarget(query: SeriesQuery, refId: string): JsonObject {
    const o = query.options;
    return {
      refId,
      datasource: pluginRef,
      kind: 'timeseries',
      ...this.scope(o.filters),
      metric: query.metric,
      aggregation: o.aggregation ?? 'avg',
      ...(o.groupBy ? { groupBy: o.groupBy } : {}),
      legendFormat: o.legend ?? (this.multiTarget ? '{{target}}' : '{{metric}}'),
      ...(o.limit ? { limit: o.limit } : {}),
    };
  }

  private describeMetrics(text: string, metrics: string[]): string {
    const entries = metrics.map((m) => this.metric(m));
    const sql = sqlFiles(entries.flatMap((e) => e.sql));
    return [
      text,
      '',
      `Metrics: ${entries.map((e) => `${e.name} (${e.help.replace(/\.$/, '')})`).join('; ')}.`,
      sql.length > 0 ? `SQL: ${sql.join(', ')} (the query editor's SQL section shows the exact text).` : '',
    ]
      .filter((line, i) => line !== '' || i === 1)
      .join('\n');
  }

  /** `custom`: the graph's field settings; none for a stat. */
  private defaults(options: PanelOptions, unit: string | undefined, custom?: JsonObject): JsonObject {
    return {
      ...(unit ? { unit } : {}),
      ...(options.min !== undefined ? { min: options.min } : {}),
      ...(options.max !== undefined ? { max: options.max } : {}),
      ...(options.decimals !== undefined ? { decimals: options.decimals } : {}),
      thresholds: thresholds(options.thresholds),
      mappings: mappings(options),
      color: { mode: options.thresholds && !custom ? 'thresholds' : 'palette-classic' },
      ...(custom ? { custom } : {}),
    };
  }

  private unitOf(options: PanelOptions, metrics: string[]): string | undefined {
    if (options.unit) return options.unit;
    const first = metrics[0] ? this.metric(metrics[0]) : undefined;
    return first ? (first.rateUnit ?? first.unit) : undefined;
  }

  private graphCustom(options: TimeSeriesOptions): JsonObject {
    return {
      drawStyle: options.draw ?? 'line',
      lineWidth: 1,
      fillOpacity: options.stack ? 30 : 10,
      showPoints: 'never',
      spanNulls: false,
      stacking: { mode: options.stack ? 'normal' : 'none', group: 'A' },
      thresholdsStyle: { mode: options.showThresholds ? 'line+area' : 'off' },
      axisSoftMin: 0,
    };
  }

  /** Time series of backend metrics. */
  timeseries(options: TimeSeriesOptions, queries: SeriesQuery[]): PanelSpec {
    return this.backendPanel(options, queries, this.graphCustom(options));
  }

  /** A stat (the last value of each series) of backend metrics. */
  stat(options: PanelOptions, queries: SeriesQuery[]): PanelSpec {
    return this.backendPanel(options, queries, undefined);
  }

  /** A time series (with the graph's `custom` settings) or a stat (without) of backend metrics. */
  private backendPanel(
    options: PanelOptions,
    queries: SeriesQuery[],
    custom: JsonObject | undefined,
  ): PanelSpec {
    const metrics = queries.map((q) => q.metric);
    const ids = refIds(queries.length);
    return {
      w: options.w,
      h: options.h,
      json: {
        type: custom ? 'timeseries' : 'stat',
        title: options.title,
        description: this.describeMetrics(options.description, metrics),
        datasource: pluginRef,
        targets: queries.map((q, i) => this.seriesTarget(q, ids[i] as string)),
        fieldConfig: {
          defaults: this.defaults(options, this.unitOf(options, metrics), custom),
          overrides: [],
        },
        options: custom ? graphOptions() : statOptions(),
        links: links(options),
      },
    };
  }

  /** A backend table (a snapshot, or events in the range). */
  table(options: TableOptions): PanelSpec {
    const entry = this.tableEntry(options.table);
    const columns = entry.columns.map((c) => c.name);
    for (const name of [...(options.hide ?? []), ...Object.keys(options.columnThresholds ?? {})]) {
      if (!columns.includes(name)) throw new Error(`table ${entry.kind} has no column ${name}`);
    }
    if (options.orderBy && !columns.includes(options.orderBy))
      throw new Error(`table ${entry.kind} has no column ${options.orderBy}`);
    const overrides: JsonValue[] = columns.flatMap((name): JsonValue[] => {
      const unit = columnUnit(name);
      const steps = options.columnThresholds?.[name];
      const properties: JsonValue[] = [
        ...(unit ? [{ id: 'unit', value: unit }] : []),
        ...(steps
          ? [
              { id: 'thresholds', value: thresholds(steps) },
              { id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } },
            ]
          : []),
      ];
      return properties.length > 0 ? [{ matcher: { id: 'byName', options: name }, properties }] : [];
    });
    const sql = sqlFiles(entry.sql);
    const source =
      entry.source === 'events'
        ? `Source: table "${entry.kind}" (${entry.description}), from the backend's event store.`
        : `Source: table "${entry.kind}" (${entry.description}).${sql.length > 0 ? ` SQL: ${sql.join(', ')} (the query editor's SQL section shows the exact text).` : ''}`;
    const target: JsonObject = {
      refId: 'A',
      datasource: pluginRef,
      kind: 'table',
      table: entry.kind,
      ...this.scope(options.filters),
      ...(entry.source === 'snapshot' ? { asOf: 'latest' } : {}),
      limit: options.limit ?? 50,
      ...(options.orderBy ? { orderBy: options.orderBy, order: options.order ?? 'desc' } : {}),
    };
    return {
      w: options.w,
      h: options.h,
      json: {
        type: 'table',
        title: options.title,
        description: `${options.description}\n\n${source}`,
        datasource: pluginRef,
        targets: [target],
        fieldConfig: {
          defaults: {
            custom: { align: 'auto', cellOptions: { type: 'auto' }, inspect: true, filterable: true },
            thresholds: thresholds(undefined),
            mappings: [],
          },
          overrides,
        },
        options: {
          showHeader: true,
          cellHeight: 'sm',
          footer: { show: false, reducer: ['sum'], fields: '' },
        },
        transformations: options.hide?.length
          ? [
              {
                id: 'organize',
                options: { excludeByName: Object.fromEntries(options.hide.map((c) => [c, true])) },
              },
            ]
          : [],
        links: links(options),
      },
    };
  }

  /** Time series from Prometheus (the backend's own /metrics: governor, alerts, target state). */
  promTimeseries(options: TimeSeriesOptions, queries: PromQuery[]): PanelSpec {
    return this.prom(options, queries, this.graphCustom(options));
  }

  promStat(options: PanelOptions, queries: PromQuery[]): PanelSpec {
    return this.prom(options, queries, undefined);
  }

  private prom(options: PanelOptions, queries: PromQuery[], custom: JsonObject | undefined): PanelSpec {
    const ids = refIds(queries.length);
    const names = [...new Set(queries.flatMap((q) => q.expr.match(/\bpgg_\w+/g) ?? []))];
    return {
      w: options.w,
      h: options.h,
      json: {
        type: custom ? 'timeseries' : 'stat',
        title: options.title,
        description: `${options.description}\n\nSource: Prometheus scraping the backend's /metrics (${names.join(', ')}).`,
        datasource: prometheusRef,
        targets: queries.map((q, i) => ({
          refId: ids[i] as string,
          datasource: prometheusRef,
          expr: q.expr,
          legendFormat: q.legend,
          range: true,
          instant: false,
        })),
        fieldConfig: { defaults: this.defaults(options, options.unit ?? 'short', custom), overrides: [] },
        options: custom ? graphOptions() : statOptions(),
        links: links(options),
      },
    };
  }
}

function graphOptions(): JsonObject {
  return {
    legend: { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] },
    tooltip: { mode: 'multi', sort: 'desc' },
  };
}

function statOptions(): JsonObject {
  return {
    reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
    colorMode: 'background',
    graphMode: 'area',
    justifyMode: 'auto',
    orientation: 'auto',
    textMode: 'auto',
    wideLayout: true,
    showPercentChange: false,
  };
}
