import { Logger } from 'pino';
import { Registry } from 'prom-client';
import { FleetView } from '../api/overview';
import { Config, TargetConfig } from '../config/schema';
import { OperatorModes } from '../governor/operator-modes';
import { TargetOwnership } from '../store/target-ownership';
import { TargetsDir } from './targets-dir';
import { TargetSet } from './target-set';

export interface FleetDeps {
  config: Config;
  /** The main configuration's targets (or the zero-config demo's). */
  mainTargets: readonly TargetConfig[];
  ownership: TargetOwnership;
  targets: TargetSet;
  /** Operators' governor modes: kept in step with the store, whichever replica took the change. */
  modes: OperatorModes;
  registry: Registry;
  log: Logger;
}

/**
 * The targets this replica is configured with (the main configuration and targets_dir, re-read
 * live) and the share of them it owns in the store: runs exactly the configured targets it owns.
 * A configuration change applies at once (a removed target stops here and is then released, a
 * changed one restarts); an ownership change applies after the heartbeat that made it.
 */
export class Fleet {
  private dir: TargetsDir | undefined;
  private fromFiles: TargetConfig[] = [];

  constructor(private readonly deps: FleetDeps) {}

  /** Every enabled target this replica is configured with. */
  inventory(): TargetConfig[] {
    return [...this.deps.mainTargets, ...this.fromFiles].filter((t) => t.enabled);
  }

  /** Reads targets_dir, claims this replica's share (the first heartbeat) and starts those targets. */
  async start(): Promise<void> {
    const { config, ownership } = this.deps;
    if (config.targets_dir) {
      this.dir = new TargetsDir({
        dir: config.targets_dir,
        defaults: config.defaults,
        mainNames: this.deps.mainTargets.map((t) => t.name),
        rescanMs: config.targets_rescan_s * 1000,
        log: this.deps.log,
        registry: this.deps.registry,
        onChange: (targets) => {
          this.fromFiles = targets;
          ownership.setInventory(this.names());
          void this.apply();
        },
      });
      this.fromFiles = this.dir.start();
    }
    ownership.onChange(() => this.apply());
    await ownership.start(this.names());
    this.deps.modes.follow(config.replicas.heartbeat_ms);
  }

  /** Reads targets_dir again now (SIGHUP). */
  reload(): void {
    if (this.dir) this.dir.reload('SIGHUP');
    else this.deps.log.info('SIGHUP: no targets_dir configured; nothing to re-read');
  }

  private names(): string[] {
    return this.inventory().map((t) => t.name);
  }

  private apply(): Promise<void> {
    const owned = this.deps.ownership.ownedTargets();
    return this.deps.targets.reconcile(this.inventory().filter((t) => owned.has(t.name)));
  }

  view(): FleetView {
    const status = this.deps.ownership.status();
    return {
      replica: status.instance,
      replicas: status.replicas.map((r) => ({
        id: r.instance,
        host: r.host,
        targets: r.targets,
        startedAt: r.startedAt,
        heartbeatAt: r.heartbeatAt,
      })),
      owners: status.owners,
      inventory: this.names(),
    };
  }

  /** Reported by /readyz without failing it: bad target files, a lease that is not renewed. */
  notes(): string[] {
    const notes = [...(this.dir?.problems() ?? [])];
    if (!this.deps.ownership.leaseValid())
      notes.push(
        "degraded: this replica's lease on the store is not renewed (the store does not answer): it goes on only with targets whose lock it still holds",
      );
    return notes;
  }

  /**
   * Hands every target over: no more heartbeats, nothing collected or published here from then on
   * (every target's fence asks the ownership), the targets released in the store for the other
   * replicas to take on their next heartbeat, then the targets stopped here (loops, governor
   * sessions, pools). Released first, because stopping a hundred targets takes seconds, longer than
   * a shutdown may take; a new owner collects a target once this replica's governor session has let
   * go of its lock on the target.
   */
  async stop(): Promise<void> {
    this.dir?.stop();
    await this.deps.modes.stopFollowing();
    await this.deps.ownership.leave();
    await this.deps.targets.reconcile([]);
  }
}
