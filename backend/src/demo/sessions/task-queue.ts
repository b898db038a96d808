import { chance } from '../random';
import { SessionBody } from '../session';
import { pause } from './wait';

// SKIP LOCKED: several workers claim distinct tasks without waiting on each other.
const CLAIM = `
  UPDATE demo.task_queue SET status = 'started', started_at = now()
   WHERE id = (SELECT id FROM demo.task_queue WHERE status = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
  RETURNING id`;
const FINISH = 'UPDATE demo.task_queue SET status = $2, finished_at = now() WHERE id = $1';
const ENQUEUE = "INSERT INTO demo.task_queue (status) VALUES ('queued')";
/**
 * The cleanup: finished tasks kept, by count to keep the demo small (a real one deletes those
 * finished more than 7 days ago); stuck 'started' ones are never purged (the panels look for them).
 */
const FINISHED_KEPT = 1_000;
const PURGE = `
  DELETE FROM demo.task_queue
   WHERE status IN ('done', 'failed') AND id < (SELECT max(id) - $1 FROM demo.task_queue)`;

/**
 * A queue worker: claims the oldest queued task, works on it for 1-3 s, marks it done (or failed,
 * 1 in 20) and enqueues a new one, so the queue keeps its length. A worker killed mid-task leaves
 * its task 'started', as a real one would.
 */
export const queueWorker: SessionBody = async ({ query, signal, counters }) => {
  for (;;) {
    const claimed = await query<{ id: string }>(CLAIM);
    const taskId = claimed.rows[0]?.id;
    if (taskId !== undefined) {
      await pause(1_000, 3_000, signal);
      const failed = chance(0.05);
      await query(FINISH, [taskId, failed ? 'failed' : 'done']);
      counters.bump(failed ? 'tasksFailed' : 'tasksDone');
    }
    await query(ENQUEUE);
    if (chance(0.01)) await query(PURGE, [FINISHED_KEPT]);
    await pause(500, 1_500, signal);
  }
};
