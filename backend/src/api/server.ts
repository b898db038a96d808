import Fastify, { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { Logger } from 'pino';
import { Registry } from 'prom-client';
import { Readiness } from '../lifecycle/readiness';
import { healthRoutes } from './routes/health';
import { metricsRoutes } from './routes/metrics';

export interface ApiDependencies {
  log: Logger;
  registry: Registry;
  readiness: () => Readiness;
  bodyLimitBytes: number;
}

/** The HTTP surface. Routes are fastify plugins, each with its JSON schema. */
export async function buildServer(deps: ApiDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    // pino 10's Logger is a superset of what fastify's types expect of a logger.
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: deps.bodyLimitBytes,
    disableRequestLogging: true,
    // Graceful shutdown: close keep-alive sockets rather than waiting for clients to drop them.
    forceCloseConnections: 'idle',
  });
  await app.register(healthRoutes(deps.readiness));
  await app.register(metricsRoutes(deps.registry));
  return app;
}
