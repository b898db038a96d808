import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Catalog } from '../../catalog/catalog';
import { CatalogResponse } from '../../contract/catalog';
import { NoQuery } from '../../contract/schema-parts';

/** GET /catalog — every metric and table with its unit, labels or columns, loop, collector and SQL. */
export const catalogRoutes = (deps: { catalog: Catalog; version: string }): FastifyPluginAsyncTypebox =>
  async function catalog(app) {
    // The collectors are fixed for the life of the process: serialize once (it carries all the SQL).
    let body: string | undefined;
    app.get('/catalog', { schema: { querystring: NoQuery } }, async (_request, reply) => {
      body ??= JSON.stringify({ version: deps.version, ...deps.catalog.toJSON() } satisfies CatalogResponse);
      return reply.type('application/json; charset=utf-8').send(body);
    });
  };
