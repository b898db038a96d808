import { FastifyPluginAsync } from 'fastify';
import { Registry } from 'prom-client';

/** Prometheus exposition of the process registry. */
export const metricsRoutes = (registry: Registry): FastifyPluginAsync =>
  async function metrics(app) {
    app.get('/metrics', async (_request, reply) => {
      const body = await registry.metrics();
      return reply.type(registry.contentType).send(body);
    });
  };
