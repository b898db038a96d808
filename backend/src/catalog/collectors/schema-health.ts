import { CollectorDefinition } from '../types';
import { gauge } from '../define';

/** The problems schema_health reports, as its rows' `problem` column and metric labels name them. */
export const SCHEMA_PROBLEMS = ['invalid_index', 'duplicate_index', 'disabled_trigger'] as const;
export type SchemaProblem = (typeof SCHEMA_PROBLEMS)[number];

/**
 * Storage loop: schema objects of the connected database that cost without showing: invalid
 * indexes, exact duplicate indexes and disabled triggers. Catalog reads only.
 */
export const schemaHealthDefinition: CollectorDefinition = {
  name: 'schema_health',
  loop: 'storage',
  description:
    'Invalid indexes (failed CREATE INDEX CONCURRENTLY), exact duplicate indexes and disabled triggers (foreign keys unchecked) in the connected database',
  queries: ['schema-health'],
  metrics: [
    gauge(
      'pg_schema_problems',
      'Schema problems in the connected database by kind (invalid_index, duplicate_index, disabled_trigger), counted up to the Top-N (indexes) limit',
      'short',
      ['datname', 'problem'],
    ),
  ],
  snapshots: [
    {
      kind: 'schema_health',
      description: 'Invalid and duplicate indexes, disabled triggers of the connected database',
      columns: [
        {
          name: 'problem',
          type: 'string',
          description: 'invalid_index, duplicate_index or disabled_trigger',
        },
        { name: 'datname', type: 'string' },
        { name: 'schemaname', type: 'string' },
        { name: 'relname', type: 'string', description: 'the table' },
        { name: 'object_name', type: 'string', description: 'the index or trigger' },
        {
          name: 'other_name',
          type: 'string',
          description: 'duplicate_index: the index it duplicates (the one to keep)',
        },
        { name: 'is_unique', type: 'boolean' },
        {
          name: 'backs_constraint',
          type: 'boolean',
          description: 'index: a constraint uses it; trigger: it enforces a constraint (foreign key)',
        },
        { name: 'is_internal', type: 'boolean', description: 'trigger made by the system for a constraint' },
        { name: 'constraint_name', type: 'string' },
        { name: 'size_bytes', type: 'number', unit: 'bytes', description: 'from relpages' },
        {
          name: 'definition',
          type: 'string',
          description: 'empty while the index or its table is locked ACCESS EXCLUSIVE',
        },
      ],
    },
  ],
};
