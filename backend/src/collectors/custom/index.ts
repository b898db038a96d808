import { customMetricsDefinition } from '../../catalog/collectors/custom';
import { Config, CustomMetricConfig } from '../../config/schema';
import { sqlState } from '../../db/pg-errors';
import { Collector, CollectorState, Sample } from '../types';
import { customSamples, CustomRow } from './derive';
import { CustomMetricRun, dueMetrics } from './schedule';
import { wrapWithRowCap } from './row-cap';

/** Below this share of the budget a query is not started: it goes first on the next tick instead. */
const MIN_SHARE_MS = 100;

const RUNS = 'runs';

function runsOf(state: CollectorState): Map<string, CustomMetricRun> {
  let runs = state.get(RUNS) as Map<string, CustomMetricRun> | undefined;
  if (!runs) state.set(RUNS, (runs = new Map()));
  return runs;
}

/**
 * The collector of the configured custom metrics (none configured: no collector, no loop). Its
 * metric families come from the configuration, so the exporter registers them like any other.
 *
 * It runs on the `custom` loop, never on the hot path. Each tick runs the metrics whose interval_s
 * has elapsed, one after another, each in a read-only transaction with statement_timeout lowered
 * to its fair share of what is left of the loop's budget (budget left / metrics left to run): a
 * slow query is cut at its share and the next still has time. Between runs, a metric's last values
 * are served again (an observation replaces the collector's previous one). A failing metric fails
 * alone: its series go, pgg_custom_metric_success says 0, and the collector reports failing with
 * the reason while the others are published.
 */
export function customMetricsCollectors(config: Pick<Config, 'custom_metrics'>): Collector[] {
  const metrics = config.custom_metrics;
  if (metrics.length === 0) return [];
  return [
    {
      ...customMetricsDefinition(metrics),
      async collect(context) {
        const { queryConfigured, budgetLeftMs } = context;
        if (!queryConfigured || !budgetLeftMs)
          throw new Error('the collection context cannot run configured SQL');
        const mine = metrics.filter((m) => !m.targets || m.targets.includes(context.target));
        const runs = runsOf(context.state);
        const due = dueMetrics(mine, runs, context.now);
        for (const [index, metric] of due.entries()) {
          const share = Math.floor(budgetLeftMs() / (due.length - index));
          if (share < MIN_SHARE_MS) break;
          runs.set(
            metric.name,
            await runOnce(
              metric,
              share,
              (sql, params, timeoutMs) => queryConfigured<CustomRow>(sql, { params, timeoutMs }),
              context.now,
            ),
          );
        }
        const samples: Sample[] = [];
        const errors: string[] = [];
        for (const metric of mine) {
          const run = runs.get(metric.name);
          if (!run) continue;
          const labels = { metric: metric.name };
          samples.push({
            metric: 'pgg_custom_metric_success',
            labels,
            value: run.error === undefined ? 1 : 0,
          });
          if (run.error !== undefined) {
            errors.push(`${metric.name}: ${run.error}`);
            continue;
          }
          samples.push(...run.samples, {
            metric: 'pgg_custom_metric_truncated',
            labels,
            value: run.truncated ? 1 : 0,
          });
        }
        return { samples, ...(errors.length > 0 ? { error: `custom metric ${errors.join('; ')}` } : {}) };
      },
    },
  ];
}

type RunQuery = (sql: string, params: unknown[], timeoutMs: number) => Promise<CustomRow[]>;

async function runOnce(
  metric: CustomMetricConfig,
  shareMs: number,
  query: RunQuery,
  now: number,
): Promise<CustomMetricRun> {
  try {
    const rows = await query(wrapWithRowCap(metric.sql), [metric.max_rows + 1], shareMs);
    return { at: now, ...customSamples(metric, rows) };
  } catch (error) {
    const timedOut = sqlState(error) === '57014';
    const message = (error as Error).message;
    return {
      at: now,
      samples: [],
      truncated: false,
      error: timedOut ? `${message} (its share of the loop's budget: ${shareMs} ms)` : message,
    };
  }
}
