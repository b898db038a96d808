import { Logger } from 'pino';
import { ActiveAlert } from '../alerts/evaluator';
import { LatestObservations } from '../collectors/latest-observations';
import { Catalog } from '../catalog/catalog';
import { TargetStatus } from '../db/target-monitor';
import { PeriodicJob } from '../lib/periodic-job';
import { RepeatFilter } from '../lib/repeat-filter';
import { StoredReplicaAlerts } from '../store/replica-alerts';
import { StoredTargetFindings } from '../store/target-findings';
import { StoredTargetStatus } from '../store/target-status';
import { FindingsView } from './findings';
import { findingsToShare } from './findings-share';
import { localOverviews } from './overview';
import { alertItem } from './routes/alerts';

/**
 * Publishes to the store, every few seconds, what only this replica knows: the overview of the
 * targets it owns, its active alerts and its targets' findings (those when they changed), so that
 * /api/v1/overview, /api/v1/alerts and /api/v1/findings answer for the whole fleet from any
 * replica. Alone on the store it answers from memory, and publishes only the findings: a target's
 * next owner, or this replica after a restart, carries them on. A failed publication is logged
 * once per reason; the next one replaces it.
 */
export class FleetShare {
  private readonly job: PeriodicJob<void>;
  private readonly failing = new RepeatFilter();
  /** What was last published of each owned target's findings (digest, when). */
  private readonly findingsPublished = new Map<string, { digest: string; at: number }>();

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
      /** The findings engine (absent: no findings to share). */
      findings?: FindingsView;
      targetFindings: StoredTargetFindings;
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
    this.deps.targetFindings.forgetStale().catch(() => undefined);
    this.job.start();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  async publish(): Promise<void> {
    const { latest, catalog, replica, owned, alerts } = this.deps;
    const mine = owned();
    try {
      if (this.deps.shared()) {
        const rows = [...localOverviews({ latest, catalog, targets: this.deps.targets() }, replica).values()]
          .filter((t) => mine.has(t.name))
          .map((status) => ({ target: status.name, status }));
        await this.deps.status.publish(replica, rows);
        await this.deps.replicaAlerts.publish(
          replica,
          alerts.lastEvaluation(),
          alerts.active().map(alertItem),
        );
      }
      // Alone too: a restart, or the next owner, carries them on from there (TargetSet).
      if (this.deps.findings) {
        const due = findingsToShare(this.deps.findings, mine, this.findingsPublished, Date.now());
        await this.deps.targetFindings.publish(replica, due.rows);
        due.commit();
      }
      this.failing.ok();
    } catch (error) {
      const message = (error as Error).message;
      if (this.failing.first(message))
        this.deps.log.warn(
          { err: message },
          "fleet: could not publish this replica's targets and alerts to the store",
        );
    }
  }
}
