import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { QueryRequestSchema } from '../../contract/query';
import { QueryContext } from '../query/context';
import { runQueryRequest } from '../query/run';

/**
 * POST /query — Grafana panel queries: time series of catalog metrics and tables, frames per refId
 * (the contract's QueryResponse, serialized by runQueryRequest).
 */
export const queryRoutes = (deps: {
  context: QueryContext;
  retentionDays: number;
}): FastifyPluginAsyncTypebox =>
  async function query(app) {
    app.post('/query', { schema: { body: QueryRequestSchema } }, async (request, reply) => {
      const json = await runQueryRequest(request.body, deps.context, {
        retentionDays: deps.retentionDays,
        now: Date.now(),
        log: request.log,
      });
      return reply.type('application/json; charset=utf-8').send(json);
    });
  };
