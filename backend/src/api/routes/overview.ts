import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LatestObservations } from '../../collectors/latest-observations';
import { TargetOverview } from '../../contract/overview';
import { NoQuery } from '../../contract/schema-parts';
import { TargetStatus } from '../../db/target-monitor';
import { Catalog } from '../../catalog/catalog';
import { SharedTargetStatus } from '../../store/target-status';
import { buildOverview, FleetView } from '../overview';

/** GET /overview — the headline numbers of every target in one call, from any replica. */
export const overviewRoutes = (deps: {
  latest: LatestObservations;
  catalog: Catalog;
  targets: () => TargetStatus[];
  version: string;
  fleet?: () => FleetView;
  /** What the other replicas' targets look like, from the store; absent or failing: this replica's view. */
  shared?: () => Promise<SharedTargetStatus<TargetOverview>[]>;
}): FastifyPluginAsyncTypebox =>
  async function overview(app) {
    app.get('/overview', { schema: { querystring: NoQuery } }, async (request) => {
      let shared: SharedTargetStatus<TargetOverview>[] | undefined;
      try {
        shared = await deps.shared?.();
      } catch (error) {
        request.log.warn({ err: error }, "overview: the store did not answer; this replica's targets only");
      }
      return buildOverview({
        latest: deps.latest,
        catalog: deps.catalog,
        targets: deps.targets(),
        version: deps.version,
        now: Date.now(),
        ...(deps.fleet ? { fleet: deps.fleet() } : {}),
        ...(shared ? { shared } : {}),
      });
    });
  };
