import path from 'node:path';
import { readCustomMetricsFile } from '../config/custom-metrics-files';
import { CustomMetricConfig } from '../config/schema';

/**
 * The task queue pack: custom metrics over demo.task_queue, an example users copy for their own
 * queue. backend/src and backend/dist sit at the same depth, so it resolves the same from both.
 */
export const TASK_QUEUE_PACK = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'examples',
  'packs',
  'task-queue.yaml',
);

/**
 * What the zero-config demo adds to the configured custom metrics: the task queue pack's, except
 * those configured already (the same pack listed in custom_metrics_files, say).
 */
export function demoCustomMetrics(configured: readonly CustomMetricConfig[]): CustomMetricConfig[] {
  const names = new Set(configured.map((m) => m.name));
  return readCustomMetricsFile(TASK_QUEUE_PACK).filter((m) => !names.has(m.name));
}
