import { pgbouncerDefinition } from '../../catalog/collectors/pgbouncer';
import { Collector } from '../types';
import { configMemory, deriveConfigDrift } from './config-drift';
import { ConsoleRows, derivePgBouncer } from './derive';

export const pgbouncerCollector: Collector = {
  ...pgbouncerDefinition,
  async collect(context) {
    const admin = context.pgbouncer;
    if (!admin) throw new Error('no PgBouncer configured for this target (pgbouncer.dsn)');
    let rows: ConsoleRows;
    try {
      // One after another on the one console connection; each answers from PgBouncer's memory.
      rows = {
        pools: await admin.show('pgbouncer/pools'),
        stats: await admin.show('pgbouncer/stats'),
        clients: await admin.show('pgbouncer/clients'),
        databases: await admin.show('pgbouncer/databases'),
        config: await admin.show('pgbouncer/config'),
        lists: await admin.show('pgbouncer/lists'),
      };
    } catch (error) {
      // pgbouncer_up 0 is exported (alerts key on it) and the collector reports failing with the reason.
      return {
        samples: [{ metric: 'pgbouncer_up', labels: {}, value: 0 }],
        error: `PgBouncer admin console: ${(error as Error).message}`,
      };
    }
    const result = derivePgBouncer(rows, { usableConnections: context.server.usableConnections });
    const drift = deriveConfigDrift(rows.config, configMemory(context.state));
    return { ...result, samples: [...result.samples, ...drift.samples], events: drift.events };
  },
};
