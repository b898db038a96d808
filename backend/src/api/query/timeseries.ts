import { TimeSeriesQuery, TopBy } from '../../contract/query';
import { SeriesQuery } from '../../store/types';
import { MetricEntry } from '../../catalog/catalog';
import { badRequest, quote } from '../errors';
import { SerializedFrame, timeSeriesFrame } from '../frames';
import { formatLegend } from '../legend';
import { QueryContext, QueryWindow } from './context';
import { labelFilters, requestedTargets } from './filters';
import { topSeries } from './top-series';

const DEFAULT_SERIES_LIMIT = 200;
/** Series read to rank for `top` (the contract's largest limit): the store's cut is by labels. */
const TOP_CANDIDATES = 1000;

export interface TimeSeriesPlan {
  kind: 'timeseries';
  refId: string;
  metric: MetricEntry;
  series: SeriesQuery;
  legendFormat?: string;
  /** Ranked by value: the `limit` series highest by `by`. */
  top?: { limit: number; by: TopBy };
}

/** Checks a time series query against the catalog; a 400 names the offending field. */
export function planTimeSeries(
  query: TimeSeriesQuery,
  field: string,
  context: Pick<QueryContext, 'catalog'>,
  window: QueryWindow,
): TimeSeriesPlan {
  const metric = context.catalog.metrics.get(query.metric);
  if (!metric) {
    throw badRequest(
      `${field}.metric`,
      `unknown metric ${quote(query.metric)} (GET /api/v1/catalog lists them)`,
    );
  }
  const groupBy = query.groupBy?.filter((label) => label !== 'target');
  groupBy?.forEach((label, i) => {
    if (!metric.labels.includes(label)) {
      throw badRequest(`${field}.groupBy[${i}]`, `metric ${metric.name} has no label ${label}`);
    }
  });
  const targets = requestedTargets(query);
  const series: SeriesQuery = {
    metric: metric.name,
    type: metric.type,
    filters: labelFilters(query.filters, metric.labels, metric.name, `${field}.filters`),
    from: window.range.from,
    to: window.range.to,
    stepMs: window.stepMs,
    aggregation: query.aggregation ?? 'avg',
    limit: query.top ? TOP_CANDIDATES : (query.limit ?? DEFAULT_SERIES_LIMIT),
  };
  if (targets) series.targets = targets;
  if (groupBy) series.groupBy = groupBy;
  const plan: TimeSeriesPlan = { kind: 'timeseries', refId: query.refId, metric, series };
  if (query.legendFormat) plan.legendFormat = query.legendFormat;
  if (query.top) plan.top = { limit: query.limit ?? DEFAULT_SERIES_LIMIT, by: query.top };
  return plan;
}

/** One frame per series: time first, the value with its labels (target included) and unit. */
export async function runTimeSeries(plan: TimeSeriesPlan, context: QueryContext): Promise<SerializedFrame[]> {
  const read = await context.reader.series(plan.series);
  const results = plan.top ? topSeries(read, plan.top.limit, plan.top.by) : read;
  const unit = plan.metric.rateUnit ?? plan.metric.unit;
  return results.map((result) => {
    const labels = { target: result.target, ...result.labels };
    const frame = {
      refId: plan.refId,
      name: plan.metric.name,
      unit,
      labels,
      times: result.times,
      values: result.values,
      stepMs: plan.series.stepMs,
    };
    return timeSeriesFrame(
      plan.legendFormat
        ? { ...frame, displayName: formatLegend(plan.legendFormat, { ...labels, metric: plan.metric.name }) }
        : frame,
    );
  });
}
