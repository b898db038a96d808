import { CollectorDefinition } from '../types';
import { gauge } from '../define';

/**
 * Storage loop: the sequences of the connected database nearest to exhaustion, against their own
 * limit narrowed to the integer column they feed. Values are visible only where the role may read
 * the sequence; the others are counted.
 */
export const sequencesDefinition: CollectorDefinition = {
  name: 'sequences',
  loop: 'storage',
  description:
    'Sequences nearest to exhaustion (share of their range used, the owning column type included) in the connected database, and how many the role may not read',
  queries: ['sequences'],
  metrics: [
    gauge(
      'pg_sequence_used_ratio',
      'Share of its range a Top-N sequence has used (limit: its max, or its integer column type if smaller)',
      'percentunit',
      ['datname', 'schemaname', 'sequencename'],
    ),
    gauge(
      'pg_sequences_unreadable',
      'Sequences whose value the collector role may not read (no SELECT or USAGE): not checked',
      'short',
      ['datname'],
    ),
  ],
  snapshots: [
    {
      kind: 'sequences',
      description: 'Sequences of the connected database by share of their range used',
      columns: [
        { name: 'datname', type: 'string' },
        { name: 'schemaname', type: 'string' },
        { name: 'sequencename', type: 'string' },
        { name: 'data_type', type: 'string' },
        { name: 'owned_by', type: 'string', description: 'schema.table.column it feeds (serial, identity)' },
        { name: 'table_schema', type: 'string' },
        { name: 'table_name', type: 'string' },
        { name: 'column_name', type: 'string' },
        { name: 'column_type', type: 'string' },
        { name: 'last_value', type: 'number', description: 'empty: not called yet, or not readable' },
        { name: 'limit_value', type: 'number', description: 'where it stops, the column type included' },
        { name: 'increment_by', type: 'number' },
        { name: 'cycle', type: 'boolean', description: 'wraps around instead of failing' },
        { name: 'used_ratio', type: 'number', unit: 'percentunit' },
        { name: 'calls_left', type: 'number', description: 'nextval() calls before the limit' },
      ],
    },
  ],
};
