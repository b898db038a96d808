import { Counter, Gauge, Registry } from 'prom-client';

/** The governor's metrics (alert rules page on the circuit state). Labels: target, action, result, mode only. */
export interface GovernorMetrics {
  level: Gauge<'target'>;
  usage: Gauge<'target'>;
  circuit: Gauge<'target'>;
  leaseHeld: Gauge<'target'>;
  mode: Gauge<'target' | 'mode'>;
  actions: Counter<'target' | 'action' | 'result'>;
  wouldAct: Counter<'target' | 'action'>;
  decisions: Counter<'target' | 'level'>;
  skippedCycles: Counter<'target'>;
  ownSnapshot: Gauge<'target'>;
  ownSnapshots: Counter<'target'>;
  shedding: Gauge<'target'>;
}

export function createGovernorMetrics(registry: Registry): GovernorMetrics {
  const registers = [registry];
  return {
    level: new Gauge({
      name: 'pgg_governor_level',
      help: 'Connection pressure the governor sees: 0 normal, 1 warn, 2 optimize, 3 critical',
      labelNames: ['target'],
      registers,
    }),
    shedding: new Gauge({
      name: 'pgg_governor_shedding',
      help: 'Whether the governor sheds load (1): from the critical threshold until usage is below optimize',
      labelNames: ['target'],
      registers,
    }),
    usage: new Gauge({
      name: 'pgg_governor_usage_ratio',
      help: 'Client backends / usable connections in the snapshot the governor last decided on',
      labelNames: ['target'],
      registers,
    }),
    circuit: new Gauge({
      name: 'pgg_governor_circuit_state',
      help: 'Governor circuit breaker: 0 closed, 1 open (no more actions: a human must look), 2 half-open',
      labelNames: ['target'],
      registers,
    }),
    leaseHeld: new Gauge({
      name: 'pgg_governor_lease_held',
      help: 'Whether this instance holds the target governor lease (1: it is the one that acts) or is a standby (0)',
      labelNames: ['target'],
      registers,
    }),
    mode: new Gauge({
      name: 'pgg_governor_mode',
      help: 'The governor mode of the target (1 for the current one: observe, dry-run, enforce)',
      labelNames: ['target', 'mode'],
      registers,
    }),
    actions: new Counter({
      name: 'pgg_governor_actions_total',
      help: 'Interventions in enforce mode by action (terminate, cancel) and result (signalled, refused, not_reverified, error)',
      labelNames: ['target', 'action', 'result'],
      registers,
    }),
    wouldAct: new Counter({
      name: 'pgg_governor_would_act_total',
      help: 'Interventions the governor would have made in dry-run mode, by action',
      labelNames: ['target', 'action'],
      registers,
    }),
    decisions: new Counter({
      name: 'pgg_governor_decisions_total',
      help: 'Decisions taken (one per hot-loop snapshot) by the level seen',
      labelNames: ['target', 'level'],
      registers,
    }),
    skippedCycles: new Counter({
      name: 'pgg_governor_skipped_cycles_total',
      help: 'Snapshots not decided on because the previous decision on the target was still being carried out',
      labelNames: ['target'],
      registers,
    }),
    ownSnapshot: new Gauge({
      name: 'pgg_governor_own_snapshot',
      help: '1 while the governor decides on its own snapshot (taken on its held connection) because the monitor cannot see the target, else 0',
      labelNames: ['target'],
      registers,
    }),
    ownSnapshots: new Counter({
      name: 'pgg_governor_own_snapshots_total',
      help: 'Snapshots the governor took on its own connection while the monitor could not see the target',
      labelNames: ['target'],
      registers,
    }),
  };
}
