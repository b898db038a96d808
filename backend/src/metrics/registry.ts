import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { TargetState, TargetStatus } from '../db/target-monitor';

/**
 * The process's own registry (not prom-client's global one, so that several services can live in
 * one test process). Self-metrics describe the agent; PostgreSQL metrics are added by collectors.
 * Labels never carry SQL text, user names or PIDs.
 */
export interface SelfMetrics {
  registry: Registry;
  targetChecks: Counter<'target' | 'result'>;
}

const STATES: TargetState[] = ['connecting', 'up', 'down', 'refused'];

export function createMetrics(options: {
  version: string;
  targets: () => TargetStatus[];
  memory: () => { limitBytes: number; underPressure: boolean };
}): SelfMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'pgg_build_info',
    help: 'PG Governor build: version and Node.js runtime (always 1)',
    labelNames: ['version', 'nodejs'],
    registers: [registry],
  }).set({ version: options.version, nodejs: process.version }, 1);

  new Gauge({
    name: 'pgg_target_up',
    help: 'Whether the target is reachable and usable by the collectors (1) or not (0)',
    labelNames: ['target'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of options.targets()) this.set({ target: t.name }, t.state === 'up' ? 1 : 0);
    },
  });

  new Gauge({
    name: 'pgg_target_state',
    help: 'Connection state of the target (1 for its current state)',
    labelNames: ['target', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of options.targets())
        for (const s of STATES) this.set({ target: t.name, state: s }, t.state === s ? 1 : 0);
    },
  });

  new Gauge({
    name: 'pgg_target_consecutive_failures',
    help: 'Failed connection checks in a row for the target (0 when up)',
    labelNames: ['target'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of options.targets()) this.set({ target: t.name }, t.consecutiveFailures);
    },
  });

  new Gauge({
    name: 'pgg_target_server_major_version',
    help: 'PostgreSQL major version of the target, as last identified',
    labelNames: ['target'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of options.targets()) if (t.server) this.set({ target: t.name }, t.server.major);
    },
  });

  new Gauge({
    name: 'pgg_memory_limit_bytes',
    help: 'Memory ceiling of the process (memory.limit_mb)',
    registers: [registry],
    collect() {
      this.set(options.memory().limitBytes);
    },
  });

  new Gauge({
    name: 'pgg_memory_pressure',
    help: '1 while the process RSS is above 85 % of its ceiling (degraded)',
    registers: [registry],
    collect() {
      this.set(options.memory().underPressure ? 1 : 0);
    },
  });

  const targetChecks = new Counter({
    name: 'pgg_target_checks_total',
    help: 'Connection checks of a target by result (ok, error, refused)',
    labelNames: ['target', 'result'],
    registers: [registry],
  });

  return { registry, targetChecks };
}
