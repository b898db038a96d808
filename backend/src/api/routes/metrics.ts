import { FastifyPluginAsync } from 'fastify';
import { Registry } from 'prom-client';
import { Access } from '../auth';

/** Prometheus exposition of the process registry; open unless auth.protect_metrics. */
export const metricsRoutes = (registry: Registry, access: Access): FastifyPluginAsync =>
  async function metrics(app) {
    app.get('/metrics', { config: { access } }, async (_request, reply) => {
      const body = await registry.metrics();
      return reply.type(registry.contentType).send(body);
    });
  };
