import { Counter, Gauge, Registry } from 'prom-client';

/** What the gauges read at scrape time. */
export interface OwnershipReadings {
  instance: string;
  inventory: () => Iterable<string>;
  owned: () => ReadonlySet<string>;
  leaseValid: () => boolean;
  liveReplicas: () => number;
}

export interface OwnershipMetrics {
  cycles: Counter<'result'>;
}

/** Self-metrics of a replica's share of the targets; Prometheus tells the replicas apart by `instance`. */
export function createOwnershipMetrics(registry: Registry, read: OwnershipReadings): OwnershipMetrics {
  const registers = [registry];
  new Gauge({
    name: 'pgg_replica_info',
    help: "This replica's id in the store's ownership of targets and in the governor's journal (always 1)",
    labelNames: ['replica'],
    registers,
  }).set({ replica: read.instance }, 1);
  new Gauge({
    name: 'pgg_replica_targets_owned',
    help: 'Targets this replica collects and governs (its share of the fleet)',
    registers,
    collect() {
      this.set(read.owned().size);
    },
  });
  new Gauge({
    name: 'pgg_target_owned',
    help: '1 on the replica that collects and governs the target, 0 on the others that are configured with it',
    labelNames: ['target'],
    registers,
    collect() {
      this.reset();
      const owned = read.owned();
      for (const target of read.inventory()) this.set({ target }, owned.has(target) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'pgg_replica_lease_valid',
    help: "1 while this replica's lease in the store is known to hold (renewed within the lease, less a margin)",
    registers,
    collect() {
      this.set(read.leaseValid() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'pgg_replicas_live',
    help: 'Replicas alive on the shared store, this one included, as the last heartbeat saw them',
    registers,
    collect() {
      this.set(read.liveReplicas());
    },
  });
  return {
    cycles: new Counter({
      name: 'pgg_replica_heartbeats_total',
      help: 'Heartbeats of this replica on the store (lease renewal, claims, hand-overs) by result (ok, error)',
      labelNames: ['result'],
      registers,
    }),
  };
}
