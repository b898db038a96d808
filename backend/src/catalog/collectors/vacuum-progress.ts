import { CollectorDefinition } from '../types';
import { gauge as defineGauge } from '../define';

const gauge = (name: string, help: string, labels: string[] = []) => defineGauge(name, help, 'short', labels);

/** Hot loop: what VACUUM is doing right now, autovacuum and manual, in every database. */
export const vacuumProgressDefinition: CollectorDefinition = {
  name: 'vacuum_progress',
  loop: 'hot',
  description:
    'Running vacuums (autovacuum and manual, all databases) by phase with their progress, anti-wraparound autovacuums, and autovacuum workers against autovacuum_max_workers',
  queries: ['vacuum-progress', 'autovacuum-workers'],
  metrics: [
    gauge('pg_autovacuum_workers_running', 'Autovacuum workers running (vacuum or analyze)'),
    gauge('pg_autovacuum_max_workers', 'autovacuum_max_workers: workers at once at most'),
    gauge('pg_autovacuum_wraparound_running', 'Autovacuums running to prevent transaction ID wraparound'),
    gauge('pg_vacuum_running', 'Vacuums running (autovacuum and manual), by phase', ['phase']),
  ],
  snapshots: [
    {
      kind: 'vacuum_progress',
      description: 'Every running vacuum: where, which phase, how far, for how long',
      columns: [
        { name: 'pid', type: 'number' },
        { name: 'datname', type: 'string' },
        {
          name: 'relation',
          type: 'string',
          description:
            'schema.table; unknown (null) for a manual vacuum in a database other than the connected one',
        },
        { name: 'relid', type: 'number', description: 'table oid in its database' },
        { name: 'phase', type: 'string' },
        { name: 'is_autovacuum', type: 'boolean' },
        {
          name: 'is_wraparound',
          type: 'boolean',
          description: 'autovacuum to prevent transaction ID wraparound',
        },
        {
          name: 'scanned_percent',
          type: 'number',
          unit: 'percent',
          description: 'heap blocks scanned / heap blocks',
        },
        { name: 'duration_seconds', type: 'number', unit: 's', description: 'time on this table so far' },
        { name: 'heap_blks_total', type: 'number' },
        { name: 'heap_blks_scanned', type: 'number' },
        { name: 'heap_blks_vacuumed', type: 'number' },
        { name: 'index_vacuum_count', type: 'number', description: 'index vacuum cycles completed' },
        { name: 'indexes_total', type: 'number', description: 'PostgreSQL 17+' },
        { name: 'indexes_processed', type: 'number', description: 'PostgreSQL 17+' },
        { name: 'dead_tuples', type: 'number', description: 'dead item identifiers collected' },
        {
          name: 'max_dead_tuples',
          type: 'number',
          description: 'PostgreSQL 14-16: capacity before an index vacuum cycle',
        },
        { name: 'dead_tuple_bytes', type: 'number', unit: 'bytes', description: 'PostgreSQL 17+' },
        {
          name: 'max_dead_tuple_bytes',
          type: 'number',
          unit: 'bytes',
          description: 'PostgreSQL 17+: capacity before an index vacuum cycle',
        },
      ],
    },
  ],
};
