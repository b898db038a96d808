import { Logger } from 'pino';
import { ActiveAlert } from '../alerts/evaluator';
import { LatestObservations } from '../collectors/latest-observations';
import { Catalog } from '../catalog/catalog';
import { TargetStatus } from '../db/target-monitor';
import { PeriodicJob } from '../lib/periodic-job';
import { StoredReplicaAlerts } from '../store/replica-alerts';
import { StoredTargetStatus } from '../store/target-status';
import { localOverviews } from './overview';
import { alertItem } from './routes/alerts';

/**
 * Publishes to the store, every few seconds, what only this replica knows: the overview of the
 * targets it owns and its active alerts, so that /api/v1/overview and /api/v1/alerts answer for
 * the whole fleet from any replica; nothing while it is alone on the store (it answers from
 * memory then). A failed publication is logged once per reason; the next one replaces it.
 */
export class FleetShare {
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
      alerts: { active(): ActiveAlert[]; lastEvaluation(): number | undefined };
      /** Whether another replica may read it: alone on the store, nothing is written. */
      shared: () => boolean;
      status: StoredTargetStatus;
      replicaAlerts: StoredReplicaAlerts;
      intervalMs: number;
      log: Logger;
    },
  ) {
    this.job = new PeriodicJob(() => this.publish(), deps.intervalMs);
  }

  /** How old a published row may be and still stand for its replica's view. */
  get maxAgeMs(): number {
    return Math.max(15_000, 5 * this.deps.intervalMs);
  }

  start(): void {
    // Rows nobody published for a day (targets removed) go, once per start.
    this.deps.status.forgetStale().catch(() => undefined);
    this.job.start();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  async publish(): Promise<void> {
    if (!this.deps.shared()) return;
    const { latest, catalog, replica, owned, alerts } = this.deps;
    const mine = owned();
    const rows = [...localOverviews({ latest, catalog, targets: this.deps.targets() }, replica).values()]
      .filter((t) => mine.has(t.name))
      .map((status) => ({ target: status.name, status }));
    try {
      await this.deps.status.publish(replica, rows);
      await this.deps.replicaAlerts.publish(replica, alerts.lastEvaluation(), alerts.active().map(alertItem));
      this.failing = undefined;
    } catch (error) {
      const message = (error as Error).message;
      if (message !== this.failing)
        this.deps.log.warn(
          { err: message },
          "fleet: could not publish this replica's targets and alerts to the store",
        );
      this.failing = message;
    }
  }
}
