import type {
  DataQuery,
  GraphFieldConfig,
  TableColoredBackgroundCellOptions,
  ThresholdsConfig,
  ValueMapping,
} from '@grafana/schema';
import { Catalog, MetricEntry, TableEntry } from '../../catalog/catalog';
import type { TableQuery, TimeSeriesQuery } from '../../contract/query';
import type {
  FieldDefaults,
  FieldOverride,
  PanelLink,
  PanelBody,
  Plain,
  PrometheusQuery,
  StatPanel,
  StatPanelOptions,
  TimeSeriesPanel,
  TimeSeriesPanelOptions,
} from './grafana-types';
import { DataSourceRef, PanelSpec, pluginRef, prometheusRef } from './model';

/**
 * Panel builders. Units and the "where does this come from" part of each description are read
 * from the backend's catalog, so that a dashboard cannot disagree with what the API serves.
 */

export type Filters = Record<string, string | string[]>;

export interface SeriesOptions {
  filters?: Filters;
  groupBy?: string[];
  legend?: string;
  aggregation?: TimeSeriesQuery['aggregation'];
  limit?: number;
  /** With limit: keep the highest series by this over the range, not the first by labels. */
  top?: TimeSeriesQuery['top'];
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
  links?: PanelLink[];
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

export function thresholds(steps: Steps | undefined): Plain<ThresholdsConfig> {
  const [base, ...rest] = steps ?? ['green'];
  return {
    mode: 'absolute',
    steps: [{ color: base, value: null }, ...rest.map(([value, color]) => ({ color, value }))],
  };
}

function mappings(options: PanelOptions): Plain<ValueMapping>[] {
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

function links(options: PanelOptions): PanelLink[] {
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

export interface KitOptions {
  /**
   * The panels' "Min interval" (Grafana's panel `interval`): Grafana's step is never finer. A
   * fleet view shows every target's series: at 1m the store answers from its minute rollups (a
   * 3 h panel over 200 targets reads 36,000 points instead of 432,000 samples).
   */
  minInterval?: string;
}

export class PanelKit {
  /**
   * @param catalog what the backend serves
   * @param multiTarget whether $target may hold several targets (then it is a filter, which takes lists)
   * @param options what every series panel (time series, stat; not tables) of the dashboard shares
   */
  constructor(
    readonly catalog: Catalog,
    readonly multiTarget: boolean,
    readonly options: KitOptions = {},
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

  private seriesTarget(query: SeriesQuery, refId: string): TimeSeriesQuery {
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
      ...(o.top ? { top: o.top } : {}),
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
  private defaults<Custom>(
    options: PanelOptions,
    unit: string | undefined,
    custom?: Plain<Custom>,
  ): FieldDefaults<Custom> {
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

  private graphCustom(options: TimeSeriesOptions): Plain<GraphFieldConfig> {
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
    custom: Plain<GraphFieldConfig> | undefined,
  ): PanelSpec {
    const metrics = queries.map((q) => q.metric);
    const ids = refIds(queries.length);
    return {
      w: options.w,
      h: options.h,
      json: this.graphOrStat(options, {
        description: this.describeMetrics(options.description, metrics),
        datasource: pluginRef,
        targets: queries.map((q, i) => this.seriesTarget(q, ids[i] as string)),
        unit: this.unitOf(options, metrics),
        custom,
      }),
    };
  }

  /** A time series when there are graph settings, else a stat; the same fields in the same order. */
  private graphOrStat<Query extends DataQuery>(
    options: PanelOptions,
    panel: {
      description: string;
      datasource: DataSourceRef;
      targets: Query[];
      unit: string | undefined;
      custom: Plain<GraphFieldConfig> | undefined;
    },
  ): TimeSeriesPanel<Query> | StatPanel<Query> {
    const { description, datasource, targets, unit, custom } = panel;
    const head: Pick<PanelBody, 'title' | 'description' | 'datasource' | 'interval'> & {
      targets: Query[];
    } = {
      title: options.title,
      description,
      datasource,
      ...(this.options.minInterval ? { interval: this.options.minInterval } : {}),
      targets,
    };
    return custom
      ? {
          type: 'timeseries',
          ...head,
          fieldConfig: { defaults: this.defaults<GraphFieldConfig>(options, unit, custom), overrides: [] },
          options: graphOptions(),
          links: links(options),
        }
      : {
          type: 'stat',
          ...head,
          fieldConfig: { defaults: this.defaults<never>(options, unit), overrides: [] },
          options: statOptions(),
          links: links(options),
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
    const overrides = columns.flatMap((name): FieldOverride[] => {
      const unit = columnUnit(name);
      const steps = options.columnThresholds?.[name];
      const properties: FieldOverride['properties'] = [
        ...(unit ? [{ id: 'unit', value: unit }] : []),
        ...(steps
          ? [
              { id: 'thresholds', value: thresholds(steps) },
              {
                id: 'custom.cellOptions',
                value: {
                  type: 'color-background',
                  mode: 'basic',
                } satisfies Plain<TableColoredBackgroundCellOptions>,
              },
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
    const target: TableQuery = {
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
        // No footer: Grafana 12's table sets footer reducers per field (custom.footer), none here.
        options: { frameIndex: 0, showHeader: true, cellHeight: 'sm' },
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

  private prom(
    options: PanelOptions,
    queries: PromQuery[],
    custom: Plain<GraphFieldConfig> | undefined,
  ): PanelSpec {
    const ids = refIds(queries.length);
    const names = [...new Set(queries.flatMap((q) => q.expr.match(/\bpgg_\w+/g) ?? []))];
    return {
      w: options.w,
      h: options.h,
      json: this.graphOrStat(options, {
        description: `${options.description}\n\nSource: Prometheus scraping the backend's /metrics (${names.join(', ')}).`,
        datasource: prometheusRef,
        targets: queries.map((q, i): PrometheusQuery => ({
          refId: ids[i] as string,
          datasource: prometheusRef,
          expr: q.expr,
          legendFormat: q.legend,
          range: true,
          instant: false,
        })),
        unit: options.unit ?? 'short',
        custom,
      }),
    };
  }
}

function graphOptions(): Plain<TimeSeriesPanelOptions> {
  return {
    legend: { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] },
    tooltip: { mode: 'multi', sort: 'desc' },
  };
}

function statOptions(): Plain<StatPanelOptions> {
  return {
    reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
    colorMode: 'background',
    graphMode: 'area',
    justifyMode: 'auto',
    orientation: 'auto',
    textMode: 'auto',
    wideLayout: true,
    showPercentChange: false,
    percentChangeColorMode: 'standard',
  };
}
