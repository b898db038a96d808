import { CollectorDefinition } from '../types';
import { gauge } from '../define';

/**
 * Storage loop: indexes never scanned since the statistics were reset and not enforcing a constraint
 * — write and space cost for nothing, candidates to drop after a look at the stats reset time.
 */
export const unusedIndexesDefinition: CollectorDefinition = {
  name: 'unused_indexes',
  loop: 'storage',
  description:
    'Indexes with no scan since the statistics reset (unique, primary-key and exclusion indexes left out; partition indexes rolled up into their partitioned index)',
  queries: ['unused-indexes'],
  metrics: [
    gauge('pg_unused_indexes', 'Droppable indexes never scanned since the statistics reset', 'short', [
      'datname',
    ]),
    gauge(
      'pg_unused_index_bytes',
      'Estimated size (pg_class.relpages) of all droppable indexes never scanned',
      'bytes',
      ['datname'],
    ),
    gauge(
      'pg_index_unused',
      'Size of a Top-N unused index (never scanned since the statistics reset)',
      'bytes',
      ['datname', 'schemaname', 'relname', 'indexrelname'],
    ),
  ],
  snapshots: [
    {
      kind: 'unused_indexes',
      description: 'Top-N unused indexes by size with their definition',
      columns: [
        { name: 'schemaname', type: 'string' },
        {
          name: 'relname',
          type: 'string',
          description: 'table (the partitioned table for a partitioned index)',
        },
        { name: 'indexrelname', type: 'string' },
        { name: 'size_bytes', type: 'number', unit: 'bytes' },
        {
          name: 'size_exact',
          type: 'boolean',
          description: 'false: relpages estimate summed over partitions',
        },
        {
          name: 'partitions',
          type: 'number',
          description: 'partition indexes rolled up into a partitioned index',
        },
        { name: 'idx_scan', type: 'number' },
        {
          name: 'is_valid',
          type: 'boolean',
          description: 'false: a failed CREATE INDEX CONCURRENTLY left it behind',
        },
        { name: 'definition', type: 'string' },
        { name: 'stats_reset', type: 'time', description: 'unused since (empty: statistics never reset)' },
      ],
    },
  ],
};
