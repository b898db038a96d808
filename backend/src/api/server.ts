import compress from '@fastify/compress';
import underPressure from '@fastify/under-pressure';
import Fastify, { FastifyBaseLogger, FastifyInstance, FastifyPluginAsync, LogController } from 'fastify';
import { Logger } from 'pino';
import { Registry } from 'prom-client';
import { Catalog } from '../catalog/catalog';
import { CollectorDefinition } from '../catalog/types';
import { LatestObservations } from '../collectors/latest-observations';
import { TargetStatus } from '../db/target-monitor';
import { Readiness } from '../lifecycle/readiness';
import { HistoryReader } from '../store/types';
import { SharedTargetStatus } from '../store/target-status';
import { TargetOverview } from '../contract/overview';
import { FleetView } from './overview';
import { LoopName } from '../config/schema';
import { accessControl, routeAccessTable } from './access-control';
import { AuthSettings, TokenSet } from './auth';
import { errorHandler, notFoundHandler } from './error-handler';
import { FleetFindingsView } from './fleet-findings';
import { pressureSettings, underPressureOptions } from './pressure';
import { QueryContext } from './query/context';
import { annotationRoutes } from './routes/annotations';
import { catalogRoutes } from './routes/catalog';
import { healthRoutes } from './routes/health';
import { ExpositionChunks, metricsRoutes } from './routes/metrics';
import { overviewRoutes } from './routes/overview';
import { queryRoutes } from './routes/query';
import { variableRoutes } from './routes/variables';
import { validatorCompiler } from './validation';

export interface ApiDependencies {
  log: Logger;
  registry: Registry;
  /** The catalog families' exposition, served on /metrics after the registry's (metrics/exporter.ts). */
  exposition?: ExpositionChunks;
  readiness: () => Readiness;
  bodyLimitBytes: number;
  /** The history store's read side: ranges, snapshots as of a time, events, label values. */
  reader: HistoryReader;
  /** What the backend holds now: "latest" tables, the overview, variables. */
  latest: LatestObservations;
  /** The fleet's findings, for the query API's findings table (its own route comes through apiRoutes). */
  findings?: FleetFindingsView;
  /** Every collector that runs (custom metrics included): the catalog. */
  collectors: readonly CollectorDefinition[];
  targets: () => TargetStatus[];
  /** Who collects what among the replicas sharing the store, and what this replica is configured with. */
  fleet?: () => FleetView;
  /** The other replicas' targets as their owners published them to the store (the overview). */
  sharedStatus?: () => Promise<SharedTargetStatus<TargetOverview>[]>;
  /** Whether this replica collects a target (else its "latest" tables come from the store). */
  collectsHere?: (target: string) => boolean;
  /** A loop's interval (config loops.<loop>.interval_s): how old a stored "latest" snapshot may be. */
  loopIntervalMs?: (loop: LoopName) => number;
  auth: AuthSettings;
  version: string;
  /** store.retention_days.samples: a query range starting earlier is refused. Default 14. */
  retentionDays?: number;
  /** store.retention_days.events: the same for annotations. Default 90. */
  eventRetentionDays?: number;
  /** memory.limit_mb: API requests are refused (503) above 90 % of it. Default 512. */
  memoryLimitMb?: number;
  /** Mean event-loop delay (ms) above which API requests are refused (503). Default 1000. */
  maxEventLoopDelayMs?: number;
  /**
   * More route plugins under /api/v1 (e.g. governorRoutes), with the same auth, validation, error
   * mapping and load shedding. A route that changes things declares `config: { access: 'admin' }`.
   */
  apiRoutes?: FastifyPluginAsync[];
}

const API_PREFIX = '/api/v1';

/** The HTTP surface. Routes are fastify plugins, each with its JSON schema. */
export async function buildServer(deps: ApiDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    // pino 10's Logger is a superset of what fastify's types expect of a logger.
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: deps.bodyLimitBytes,
    logController: new LogController({ disableRequestLogging: true }),
    // Graceful shutdown: close keep-alive sockets rather than waiting for clients to drop them.
    forceCloseConnections: 'idle',
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  const tokens = new TokenSet(deps.auth);
  if (tokens.open) {
    deps.log.warn(
      'no API token configured (auth.read_tokens): the API answers without authentication, on 127.0.0.1 only',
    );
  }
  app.addHook('onRequest', accessControl(tokens));
  const routes = routeAccessTable(app);
  app.addHook('onReady', async () => {
    deps.log.info(
      { routes: routes.map((r) => `${r.method} ${r.url} ${tokens.open ? 'open' : r.access}`) },
      'API routes and the access each needs',
    );
  });
  // Responses only: a compressed request body would be one more thing to get wrong for nothing.
  // Level 1: most of the size saving at a fraction of the CPU (level 6 doubled a 24 h panel's time).
  // Output in 128 KB chunks: a 24 h panel's answer (~80 KB gzipped) is one trip to zlib's thread
  // instead of five (~0.4 ms less).
  // Answers up to 2 MB are compressed in one go on the event loop (~7 ms for a 200-series panel's
  // 1.2 MB): through zlib's thread, each trip back waited its turn on a loop busy with hundreds
  // of targets, and a panel took 11 ms more at the median and up to 100 ms more at its tail
  // (a 200-target replica). Larger ones (/metrics, streamed) still go through zlib's thread.
  await app.register(compress, {
    global: true,
    globalDecompression: false,
    encodings: ['gzip', 'deflate'],
    zlibOptions: { level: 1, chunkSize: 128 * 1024 },
    syncThreshold: 2 * 1024 * 1024,
  });

  await app.register(healthRoutes(deps.readiness));

  const catalog = new Catalog(deps.collectors);
  const knownTargets = () => [
    ...new Set([
      ...deps.targets().map((t) => t.name),
      ...deps.latest.targets(),
      ...(deps.fleet?.().inventory ?? []),
    ]),
  ];
  const context: QueryContext = {
    catalog,
    reader: deps.reader,
    latest: deps.latest,
    knownTargets,
    ...(deps.findings ? { findings: deps.findings } : {}),
    ...(deps.collectsHere ? { collectsHere: deps.collectsHere } : {}),
    ...(deps.loopIntervalMs ? { loopIntervalMs: deps.loopIntervalMs } : {}),
  };
  const pressure = pressureSettings(deps.memoryLimitMb ?? 512, deps.maxEventLoopDelayMs);

  // Everything but the probes sheds load under pressure.
  await app.register(async function shedding(scope) {
    await scope.register(underPressure, underPressureOptions(pressure));
    await scope.register(
      metricsRoutes(deps.registry, deps.auth.protectMetrics ? 'read' : 'open', deps.exposition),
    );
    await scope.register(
      async function apiV1(api) {
        await api.register(queryRoutes({ context, retentionDays: deps.retentionDays ?? 14 }));
        await api.register(
          annotationRoutes({ reader: deps.reader, eventRetentionDays: deps.eventRetentionDays ?? 90 }),
        );
        await api.register(
          variableRoutes({ catalog, reader: deps.reader, latest: deps.latest, knownTargets }),
        );
        await api.register(catalogRoutes({ catalog, version: deps.version }));
        await api.register(
          overviewRoutes({
            latest: deps.latest,
            catalog,
            targets: deps.targets,
            version: deps.version,
            ...(deps.fleet ? { fleet: deps.fleet } : {}),
            ...(deps.sharedStatus ? { shared: deps.sharedStatus } : {}),
          }),
        );
        for (const routes of deps.apiRoutes ?? []) await api.register(routes);
      },
      { prefix: API_PREFIX },
    );
  });
  return app;
}
