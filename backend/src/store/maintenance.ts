import { Logger } from 'pino';
import { applyRetention, daysFrom, ensurePartitions, PARTITIONED_TABLES, RetentionDays } from './partitions';
import { PeriodicJob } from '../lib/periodic-job';
import { Queryable } from './queryable';

/** Partitions exist for today and this many days ahead, so midnight never waits on DDL. */
export const DAYS_AHEAD = 2;
const INTERVAL_MS = 3_600_000;

/**
 * Partition upkeep: at start and hourly, creates the partitions of today and the next days and
 * applies retention. Failures are logged and retried at the next run; nothing waits on it.
 */
export class StoreMaintenance extends PeriodicJob<void> {
  constructor(
    private readonly db: Queryable,
    private readonly retention: RetentionDays,
    private readonly log: Logger,
    intervalMs = INTERVAL_MS,
    clock: () => number = Date.now,
  ) {
    // One run resolves whether or not it succeeded (errors are logged).
    super(() => this.maintain(clock()), intervalMs);
  }

  private async maintain(now: number): Promise<void> {
    try {
      const days = daysFrom(now, DAYS_AHEAD + 1);
      let created = 0;
      for (const table of PARTITIONED_TABLES) created += await ensurePartitions(this.db, table, days);
      const { droppedPartitions, forgottenSeries } = await applyRetention(this.db, this.retention, now);
      if (created + droppedPartitions.length + forgottenSeries > 0)
        this.log.info(
          { createdPartitions: created, droppedPartitions, forgottenSeries },
          'store partitions maintained',
        );
    } catch (error) {
      this.log.warn({ err: error }, 'store partition maintenance failed; retrying at the next run');
    }
  }
}
