import { Catalog } from '../../../catalog/catalog';
import { customMetricsDefinition } from '../../../catalog/collectors/custom';
import { readCustomMetricsFile } from '../../../config/custom-metrics-files';
import { TASK_QUEUE_PACK } from '../../../demo/task-queue-pack';
import { DashboardSpec, UIDS } from '../model';
import { PanelKit } from '../panels';
import { ANY } from '../steps';

const PACK = 'examples/packs/task-queue.yaml';

/**
 * The catalog of the task queue pack's metrics. They are custom metrics, in the backend's catalog
 * only where the pack is loaded (the demos, or a configuration listing it); their SQL is the pack's,
 * not a file of sql/ (hence no queries), and each panel names the pack instead.
 */
function packCatalog(): Catalog {
  const definition = customMetricsDefinition(readCustomMetricsFile(TASK_QUEUE_PACK));
  return new Catalog([{ ...definition, queries: [] }]);
}

const fromPack = (text: string) => `${text} SQL: ${PACK} (copy it and adapt it to your queue).`;

/** A job queue kept in a PostgreSQL table, through the custom metrics of the task queue pack. */
export function taskQueueDashboard(_catalog: Catalog): DashboardSpec {
  const kit = new PanelKit(packCatalog(), false);
  return {
    uid: UIDS.taskQueue,
    file: 'task-queue.json',
    title: 'PG Governor / Task queue',
    description: `A job queue in a PostgreSQL table (queued -> started -> done or failed): backlog, stuck tasks, throughput, cleanup. Needs the task queue pack (${PACK}), loaded by both demos.`,
    annotationKinds: ['alerts', 'interventions'],
    time: { from: 'now-1h', to: 'now' },
    panels: [
      kit.stat(
        {
          title: 'Stuck tasks',
          description: fromPack(
            'Tasks started more than 10 minutes ago and not finished: their worker died or hangs. Requeue or fail them.',
          ),
          w: 4,
          h: 4,
          thresholds: ANY,
        },
        [kit.series('pg_custom_task_queue_stuck_tasks', { legend: 'stuck' })],
      ),
      kit.stat(
        {
          title: 'Oldest pending task',
          description: fromPack(
            'How long the oldest queued task has waited for a worker. Growing: the workers do not keep up, or none runs.',
          ),
          w: 4,
          h: 4,
          unit: 's',
          thresholds: ['green', [300, 'orange'], [1800, 'red']],
        },
        [kit.series('pg_custom_task_queue_pending_oldest_seconds', { legend: 'oldest pending' })],
      ),
      kit.stat(
        {
          title: 'Queued',
          description: fromPack('Tasks waiting for a worker.'),
          w: 4,
          h: 4,
        },
        [kit.series('pg_custom_task_queue_tasks', { filters: { status: 'queued' }, legend: 'queued' })],
      ),
      kit.stat(
        {
          title: 'Done / min',
          description: fromPack('Tasks that finished successfully in the last minute.'),
          w: 4,
          h: 4,
        },
        [
          kit.series('pg_custom_task_queue_finished_per_minute_tasks', {
            filters: { status: 'done' },
            legend: 'done',
          }),
        ],
      ),
      kit.stat(
        {
          title: 'Failed / min',
          description: fromPack('Tasks that failed in the last minute.'),
          w: 4,
          h: 4,
          thresholds: ANY,
        },
        [
          kit.series('pg_custom_task_queue_finished_per_minute_tasks', {
            filters: { status: 'failed' },
            legend: 'failed',
          }),
        ],
      ),
      kit.stat(
        {
          title: 'Past the cleanup window',
          description: fromPack(
            'Finished tasks older than the 7-day cleanup window. Above 0 for long: the cleanup does not run or falls behind, and the table grows.',
          ),
          w: 4,
          h: 4,
          thresholds: ANY,
        },
        [kit.series('pg_custom_task_queue_past_cleanup_tasks', { legend: 'past cleanup' })],
      ),
      kit.timeseries(
        {
          title: 'Tasks by status',
          description: fromPack('Rows of the queue table by status.'),
          w: 12,
          h: 8,
        },
        [kit.series('pg_custom_task_queue_tasks', { groupBy: ['status'], legend: '{{status}}' })],
      ),
      kit.timeseries(
        {
          title: 'Finished per minute',
          description: fromPack('Tasks finished in the last minute, done and failed.'),
          w: 12,
          h: 8,
          stack: true,
        },
        [
          kit.series('pg_custom_task_queue_finished_per_minute_tasks', {
            groupBy: ['status'],
            legend: '{{status}}',
          }),
        ],
      ),
      kit.timeseries(
        {
          title: 'Waiting and stuck: oldest ages',
          description: fromPack(
            'Age of the oldest queued task (waiting for a worker) and of the oldest stuck one (started more than 10 minutes ago).',
          ),
          w: 12,
          h: 8,
          unit: 's',
        },
        [
          kit.series('pg_custom_task_queue_pending_oldest_seconds', { legend: 'oldest pending' }),
          kit.series('pg_custom_task_queue_stuck_oldest_seconds', { legend: 'oldest stuck' }),
        ],
      ),
      kit.timeseries(
        {
          title: 'Stuck and past the cleanup window',
          description: fromPack(
            'Tasks stuck in progress (more than 10 minutes), and finished tasks the 7-day cleanup should have deleted.',
          ),
          w: 12,
          h: 8,
        },
        [
          kit.series('pg_custom_task_queue_stuck_tasks', { legend: 'stuck' }),
          kit.series('pg_custom_task_queue_past_cleanup_tasks', { legend: 'past cleanup' }),
        ],
      ),
    ],
  };
}
