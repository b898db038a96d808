import { Logger } from 'pino';
import { LatestObservations } from '../collectors/latest-observations';
import { Catalog } from '../catalog/catalog';
import { TargetStatus } from '../db/target-monitor';
import { PeriodicJob } from '../lib/periodic-job';
import { StoredTargetStatus } from '../store/target-status';
import { localOverviews } from './overview';

/**
 * Publishes the overview of the targets this replica owns to the store every few seconds, so
 * that /api/v1/overview answers for the whole fleet from any replica. A failed publication is
 * logged once per reason; the next one replaces it.
 */
export class OverviewShare {
  private readonly job: PeriodicJob<void>;
  private failing: string | undefined;

  constructor(
    private readonly deps: {
      replica: string;
      latest: LatestObservations;
      catalog: Catalog;
      /** The targets this replica runs. */
      targets: () => TargetStatus[];
      /** Those it owns now (one being handed over is not published). */
      owned: () => ReadonlySet<string>;
      store: StoredTargetStatus;
      intervalMs: number;
      log: Logger;
    },
  ) {
    this.job = new PeriodicJob(() => this.publish(), deps.intervalMs);
  }

  /** How old a published row may be and still stand for its owner's view. */
  get maxAgeMs(): number {
    return Math.max(15_000, 5 * this.deps.intervalMs);
  }

  start(): void {
    // Rows nobody published for a day (targets removed) go, once per start.
    this.deps.store.forgetStale().catch(() => undefined);
    this.job.start();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  async publish(): Promise<void> {
    const { latest, catalog, replica, owned } = this.deps;
    const mine = owned();
    const rows = [...localOverviews({ latest, catalog, targets: this.deps.targets() }, replica).values()]
      .filter((t) => mine.has(t.name))
      .map((status) => ({ target: status.name, status }));
    try {
      await this.deps.store.publish(replica, rows);
      this.failing = undefined;
    } catch (error) {
      const message = (error as Error).message;
      if (message !== this.failing)
        this.deps.log.warn(
          { err: message },
          "overview: could not publish this replica's targets to the store",
        );
      this.failing = message;
    }
  }
}
