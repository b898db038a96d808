import { FastifyPluginAsync } from 'fastify';
import { QueryContext } from '../query/context';
import { runQueryRequest } from '../query/run';
import { QueryRequest, QueryRequestSchema } from '../query/schema';

/**
 * POST /query — Grafana panel queries: time series of catalog metrics and tables, frames per refId
 * (a QueryResponse, serialized by runQueryRequest).
 */
export const queryRoutes = (deps: { context: QueryContext; retentionDays: number }): FastifyPluginAsync =>
  async function query(app) {
    app.post<{ Body: QueryRequest }>(
      '/query',
      { schema: { body: QueryRequestSchema } },
      async (request, reply) => {
        const json = await runQueryRequest(request.body, deps.context, {
          retentionDays: deps.retentionDays,
          now: Date.now(),
          log: request.log,
        });
        return reply.type('application/json; charset=utf-8').send(json);
      },
    );
  };
