import { FastifyPluginAsync } from 'fastify';
import { LatestObservations } from '../../collectors/latest-observations';
import { TargetStatus } from '../../db/target-monitor';
import { Catalog } from '../catalog';
import { NoQuery } from '../schema-parts';
import { buildOverview } from '../overview';

/** GET /overview — the headline numbers of every target in one call. */
export const overviewRoutes = (deps: {
  latest: LatestObservations;
  catalog: Catalog;
  targets: () => TargetStatus[];
  version: string;
}): FastifyPluginAsync =>
  async function overview(app) {
    app.get('/overview', { schema: { querystring: NoQuery } }, async () =>
      buildOverview({
        latest: deps.latest,
        catalog: deps.catalog,
        targets: deps.targets(),
        version: deps.version,
        now: Date.now(),
      }),
    );
  };
