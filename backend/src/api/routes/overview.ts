import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LatestObservations } from '../../collectors/latest-observations';
import { NoQuery } from '../../contract/schema-parts';
import { TargetStatus } from '../../db/target-monitor';
import { Catalog } from '../../catalog/catalog';
import { buildOverview } from '../overview';

/** GET /overview — the headline numbers of every target in one call. */
export const overviewRoutes = (deps: {
  latest: LatestObservations;
  catalog: Catalog;
  targets: () => TargetStatus[];
  version: string;
}): FastifyPluginAsyncTypebox =>
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
