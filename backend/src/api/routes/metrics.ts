import { Readable } from 'node:stream';
import { FastifyPluginAsync } from 'fastify';
import { Registry } from 'prom-client';
import { nextTurn } from '../../lib/turn-budget';
import { Access } from '../auth';

/** More exposition text after the registry's: the catalog families, written in chunks. */
export type ExpositionChunks = () => AsyncIterable<string>;

/**
 * The registry's families one at a time, the event loop running between them, then the catalog's
 * chunks: a scrape of a replica with hundreds of targets never holds the loop for its whole text.
 */
async function* exposition(
  registry: Registry,
  catalog: ExpositionChunks | undefined,
): AsyncGenerator<string> {
  for (const metric of registry.getMetricsAsArray()) {
    yield `${await registry.getSingleMetricAsString(metric.name)}\n`;
    await nextTurn();
  }
  if (catalog) yield* catalog();
}

/** Prometheus exposition of the process registry and the catalog families; open unless auth.protect_metrics. */
export const metricsRoutes = (
  registry: Registry,
  access: Access,
  catalog?: ExpositionChunks,
): FastifyPluginAsync =>
  async function metrics(app) {
    app.get('/metrics', { config: { access } }, async (_request, reply) =>
      reply.type(registry.contentType).send(Readable.from(exposition(registry, catalog))),
    );
  };
