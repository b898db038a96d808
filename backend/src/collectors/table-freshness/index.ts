import { Collector, MetricDefinition } from '../types';
import { AGE_METRICS, deriveTableFreshness, TableFreshnessRow, VALUE_METRICS } from './derive';

const LABELS = ['datname', 'schemaname', 'relname'];

/**
 * Workload loop: vacuum and analyze freshness of the tables of the connected database (table
 * statistics are per database), Top-N by work pending for autovacuum.
 */
export const tableFreshnessCollector: Collector = {
  name: 'table_freshness',
  loop: 'workload',
  description:
    'Per table of the connected database (top N by dead tuples, modifications since analyze or inserts since vacuum): time since the last (auto)vacuum and (auto)analyze, pending changes, vacuum and analyze counts; live and dead rows in the vacuum health snapshot',
  queries: ['table_freshness'],
  metrics: [
    ...AGE_METRICS.map(([, name, help]): MetricDefinition => ({
      name,
      help,
      type: 'gauge',
      unit: 's',
      labels: LABELS,
    })),
    ...VALUE_METRICS.map(([, name, type, help]): MetricDefinition => ({
      name,
      help,
      type,
      unit: 'short',
      labels: LABELS,
    })),
  ],
  snapshots: [
    {
      kind: 'vacuum',
      description:
        'Vacuum health of the tables with the most work pending for autovacuum (connected database)',
      columns: [
        { name: 'datname', type: 'string' },
        { name: 'schemaname', type: 'string' },
        { name: 'relname', type: 'string' },
        { name: 'live_tuples', type: 'number', description: 'estimated' },
        { name: 'dead_tuples', type: 'number', description: 'estimated' },
        { name: 'dead_percent', type: 'number', unit: 'percent', description: 'dead / (live + dead)' },
        { name: 'mods_since_analyze', type: 'number' },
        { name: 'inserts_since_vacuum', type: 'number' },
        { name: 'last_vacuum', type: 'time' },
        { name: 'last_autovacuum', type: 'time' },
        { name: 'last_analyze', type: 'time' },
        { name: 'last_autoanalyze', type: 'time' },
        {
          name: 'since_vacuum_seconds',
          type: 'number',
          unit: 's',
          description: 'since the last vacuum of either kind',
        },
        {
          name: 'since_analyze_seconds',
          type: 'number',
          unit: 's',
          description: 'since the last analyze of either kind',
        },
        { name: 'vacuum_count', type: 'number' },
        { name: 'autovacuum_count', type: 'number' },
        { name: 'analyze_count', type: 'number' },
        { name: 'autoanalyze_count', type: 'number' },
      ],
    },
  ],
  async collect(context) {
    const rows = await context.query<TableFreshnessRow>('table_freshness', {
      params: [context.topN.relations],
    });
    return deriveTableFreshness(rows);
  },
};
