import { hostname } from 'node:os';
import { FastifyInstance } from 'fastify';
import { Logger } from 'pino';
import { buildServer } from './api/server';
import { targetWithDefaults } from './config/load';
import { Config, TargetConfig } from './config/schema';
import { TargetMonitor } from './db/target-monitor';
import { Catalog } from './catalog/catalog';
import { fleetFindings } from './api/fleet-findings';
import { FleetShare } from './api/fleet-share';
import { Fleet } from './lifecycle/fleet';
import { TargetSet } from './lifecycle/target-set';
import { instanceName } from './lib/instance-name';
import { createOwnershipPool } from './store/store-pool';
import { TargetOwnership } from './store/target-ownership';
import { DemoEnvironment, startDemoEnvironment } from './demo/environment';
import { demoCustomMetrics } from './demo/task-queue-pack';
import { ALL_COLLECTORS } from './collectors';
import { customMetricsCollectors } from './collectors/custom';
import { LatestObservations } from './collectors/latest-observations';
import { ObservationBus } from './collectors/observation-bus';
import { MemoryGuard } from './lifecycle/memory-guard';
import { assessReadiness } from './lifecycle/readiness';
import { createCollectorMetrics } from './scheduler/collector-metrics';
import { CatalogExporter } from './metrics/exporter';
import { createMetrics } from './metrics/registry';
import { backoffSettings } from './config/backoff';
import { Collection } from './scheduler/collection';
import { VERSION } from './version';
import { AlertEngine } from './alerts/engine';
import { alertRoutes } from './api/routes/alerts';
import { findingsRoutes } from './api/routes/findings';
import { FINDING_KINDS } from './catalog/findings';
import { CHECKS } from './findings/checks';
import { FindingsEngine } from './findings/engine';
import { governorRoutes } from './api/routes/governor';
import { Governor } from './governor/governor';
import { OperatorModes } from './governor/operator-modes';
import { ACTIVITY_COLLECTOR } from './governor/snapshot';
import { HistoryStore, openStore } from './store';

/**
 * The running backend: target monitors, the API, self-preservation, and with no target configured
 * the zero-config demo. start() then stop() is the whole lifecycle; both are safe to call from tests.
 */
export class Service {
  private constructor(
    readonly server: FastifyInstance,
    readonly fleet: Fleet,
    private readonly targetSet: TargetSet,
    private readonly share: FleetShare,
    readonly collection: Collection,
    readonly latest: LatestObservations,
    readonly store: HistoryStore,
    readonly governor: Governor,
    readonly alerts: AlertEngine,
    private readonly memory: MemoryGuard,
    private readonly log: Logger,
    readonly demo: DemoEnvironment | undefined,
  ) {}

  static async start(
    config: Config,
    log: Logger,
    options: { onMemoryExceeded?: () => void } = {},
  ): Promise<Service> {
    let demo: DemoEnvironment | undefined;
    let targets: TargetConfig[] = config.targets;
    if (config.targets.length === 0 && !config.targets_dir) {
      log.info(
        'no target configured: starting the zero-config demo (embedded PostgreSQL and a synthetic workload)',
      );
      // The demo's queue answers the task queue pack (examples/packs/task-queue.yaml) out of the box.
      config = {
        ...config,
        custom_metrics: [...config.custom_metrics, ...demoCustomMetrics(config.custom_metrics)],
      };
      demo = await startDemoEnvironment(config, log);
      targets = [targetWithDefaults(config, demo.target)];
    }

    const memory = new MemoryGuard(
      config.memory.limit_mb * 1048576,
      log,
      options.onMemoryExceeded ?? (() => process.kill(process.pid, 'SIGTERM')),
    );
    const monitorSettings = {
      probeIntervalMs: config.reconnect.probe_interval_s * 1000,
      ...backoffSettings(config.reconnect),
    };
    // This replica runs the targets it owns, which change as replicas come and go and files change.
    const monitors = () => targetSet.monitors();
    const statuses = () => monitors().map((m) => m.status());
    const metrics = createMetrics({
      version: VERSION,
      targets: statuses,
      memory: () => memory.current(),
    });

    // An unreachable store does not stop the start: the writer buffers and retries.
    const store = await openStore(config, log, metrics.registry);
    const latest = new LatestObservations();
    const bus = new ObservationBus(log);
    bus.subscribe('store', (observation) => store.writer.write(observation));
    // Custom metrics' families come from the configuration, so that collector is made here.
    const collectors = [...ALL_COLLECTORS, ...customMetricsCollectors(config)];
    const exporter = new CatalogExporter(metrics.registry, collectors, latest, {
      statementsTopN: config.metrics.statements_top_n,
    });
    const collection = new Collection([], collectors, config, {
      bus,
      latest,
      metrics: createCollectorMetrics(metrics.registry),
      log,
      // Told only once the loops run, after the governor below exists.
      governor: { input: ACTIVITY_COLLECTOR, blind: (target, why) => governor.blind(target, why) },
    });

    const instance = instanceName();
    const ownership = new TargetOwnership(
      createOwnershipPool(
        store.location.url,
        { heartbeatMs: config.replicas.heartbeat_ms, leaseMs: config.replicas.lease_ms },
        log,
      ),
      {
        instance,
        host: hostname(),
        heartbeatMs: config.replicas.heartbeat_ms,
        leaseMs: config.replicas.lease_ms,
        exclusive: store.location.embedded,
        joinWindowMs: config.replicas.join_window_ms,
      },
      log,
      metrics.registry,
    );
    const governor = new Governor({
      targets: [],
      instance,
      // Taken back only while the ownership holds: see lifecycle/target-fence.ts.
      mayTakeLease: () => ownership.leaseValid(),
      events: store.writer,
      registry: metrics.registry,
      log,
      queryText: { maxLength: config.query_text.max_length, redact: config.query_text.redact_literals },
      cadence: (target) => collection.runner(target, 'hot'),
    });
    bus.subscribe('governor', governor.consume);
    // Operators' modes are stored before they apply and come back when a target starts here, before its governor acts.
    const modes = new OperatorModes({
      governor: (target) => governor.targetGovernor(target),
      configured: (target): TargetConfig | undefined => fleet.inventory().find((t) => t.name === target),
      targets: () => governor.targetGovernors(),
      store: store.modeOverrides,
      events: store.writer,
      registry: metrics.registry,
      log,
      instance: () => governor.instance,
    });
    // The checks run on what the loops collect, after each observation: no statement of their own.
    const findings: FindingsEngine = new FindingsEngine({
      kinds: FINDING_KINDS,
      checks: CHECKS,
      config: config.findings,
      latest,
      collectorStatus: (target, collector) => collection.collectorStatus(target, collector),
      targets: () => targetSet.names(),
      events: store.writer,
      registry: metrics.registry,
      log,
      serverMajor: (target) =>
        monitors()
          .find((m) => m.name === target)
          ?.status().server?.major,
    });
    bus.subscribe('findings', findings.consume);
    const targetSet: TargetSet = new TargetSet({
      monitorSettings,
      collection,
      governor,
      modes,
      latest,
      registry: metrics.registry,
      ownership,
      log,
      onCheck: (target, result) => metrics.targetChecks.inc({ target, result }),
      events: store.writer,
      findings,
      storedFindings: store.targetFindings,
    });
    const alerts = new AlertEngine({
      config: config.alerts,
      registry: metrics.registry,
      catalogSeries: (metric) => exporter.series(metric),
      history: store.writer,
      log,
    });

    const fleet = new Fleet({
      config,
      mainTargets: targets,
      modes,
      ownership,
      targets: targetSet,
      registry: metrics.registry,
      log,
    });
    const collectsHere = (target: string) => monitors().some((m) => m.name === target);
    // Whether other replicas share the store: then what only this one knows is published there.
    const sharedStore = () => ownership.status().replicas.length > 1;
    const share = new FleetShare({
      replica: instance,
      latest,
      catalog: new Catalog(collectors),
      targets: statuses,
      owned: () => ownership.ownedTargets(),
      alerts,
      status: store.targetStatus,
      replicaAlerts: store.replicaAlerts,
      findings,
      targetFindings: store.targetFindings,
      shared: sharedStore,
      // As fresh as a hot cycle (5 s by default), at most every heartbeat.
      intervalMs: Math.max(config.replicas.heartbeat_ms, config.loops.hot.interval_s * 1000),
      log,
    });

    const fleetFindingsView = fleetFindings({
      replica: instance,
      local: findings,
      stored: store.targetFindings,
      shared: sharedStore,
      runsHere: collectsHere,
      log,
    });
    const server = await buildServer({
      log,
      registry: metrics.registry,
      exposition: () => exporter.chunks(),
      bodyLimitBytes: config.http.body_limit_bytes,
      readiness: () =>
        assessReadiness(statuses(), collection.status(), memory.current(), Date.now(), fleet.notes()),
      reader: store.reader,
      latest,
      collectors,
      targets: statuses,
      fleet: () => fleet.view(),
      sharedStatus: () => store.targetStatus.read(share.maxAgeMs),
      collectsHere,
      loopIntervalMs: (loop) => config.loops[loop].interval_s * 1000,
      auth: {
        readTokens: config.auth.read_tokens,
        adminTokens: config.auth.admin_tokens,
        protectMetrics: config.auth.protect_metrics,
      },
      version: VERSION,
      retentionDays: config.store.retention_days.samples,
      eventRetentionDays: config.store.retention_days.events,
      memoryLimitMb: config.memory.limit_mb,
      findings: fleetFindingsView,
      apiRoutes: [
        governorRoutes({ governor: modes }),
        alertRoutes({
          alerts,
          events: store.writer,
          fleet: { replica: instance, others: () => store.replicaAlerts.others(instance, share.maxAgeMs) },
        }),
        findingsRoutes({ findings: fleetFindingsView, kinds: FINDING_KINDS.map((k) => k.id) }),
      ],
    });
    await server.listen({ host: config.http.host, port: config.http.port });
    memory.start();
    collection.start();
    alerts.start();
    // The first heartbeat claims this replica's share; those targets start (their first checks run
    // in the background: /healthz answers at once, /readyz once they pass).
    await fleet.start();
    share.start();
    return new Service(
      server,
      fleet,
      targetSet,
      share,
      collection,
      latest,
      store,
      governor,
      alerts,
      memory,
      log,
      demo,
    );
  }

  /** The monitors of the targets this replica runs now. */
  get monitors(): TargetMonitor[] {
    return this.targetSet.monitors();
  }

  /** Reads targets_dir again (SIGHUP). */
  reloadTargets(): void {
    this.fleet.reload();
  }

  /** Where the API listens, e.g. http://127.0.0.1:8765 */
  get url(): string {
    const address = this.server.server.address();
    if (!address || typeof address === 'string') return '';
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  /** Stop taking requests, finish in-flight ones, stop checks and loops, close pools, stop the demo. */
  async stop(): Promise<void> {
    this.memory.stop();
    await this.server.close();
    await this.share.stop();
    // First the hand-over: the targets released in the store at once, then stopped here.
    await this.fleet.stop();
    await this.collection.stop();
    await Promise.all([this.governor.stop(), this.alerts.stop()]);
    // Last, so that what the loops, the governor and the alerts wrote on the way out is flushed.
    await this.store.stop();
    await this.demo?.stop();
  }
}
