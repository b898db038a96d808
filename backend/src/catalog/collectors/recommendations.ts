import { CollectorDefinition } from '../types';
import { gauge } from '../define';

/** Views nested deeper than this count as deeply nested (pgwatch reco_nested_views: more than 3). */
export const NESTED_VIEW_DEPTH = 3;
/** A partial index candidate: its column is at least this share NULL... */
export const PARTIAL_INDEX_MIN_NULL_FRAC = 0.5;
/** ...on a table of at least this many rows (pgwatch reco_partial_index_candidates: 50 %, 100,000). */
export const PARTIAL_INDEX_MIN_ROWS = 100_000;

/**
 * Hourly loop: the security and design recommendations pgwatch makes from the catalogs, readable by
 * a pg_monitor role: schemas where PUBLIC may CREATE, login superusers, SECURITY DEFINER functions
 * without a search_path, deeply nested views, and indexes on mostly NULL columns. Names reach the
 * snapshots (evidence), never the metric labels.
 */
export const recommendationsDefinition: CollectorDefinition = {
  name: 'recommendations',
  loop: 'hourly',
  description:
    'Security and design recommendations from the catalogs: schemas where PUBLIC may CREATE, login superusers, SECURITY DEFINER functions without search_path, deeply nested views, partial index candidates',
  queries: [
    'public-create-schemas',
    'superusers',
    'security-definer-functions',
    'nested-views',
    'partial-index-candidates',
  ],
  metrics: [
    gauge(
      'pg_schemas_public_create',
      'Schemas of the connected database in which PUBLIC (every role) may CREATE',
      'short',
      ['datname'],
    ),
    gauge('pg_superusers', 'Roles that can log in as superuser (the whole server)', 'short'),
    gauge(
      'pg_security_definer_functions_without_search_path',
      'SECURITY DEFINER functions and procedures of the connected database that do not set search_path',
      'short',
      ['datname'],
    ),
    gauge(
      'pg_views_nested_deep',
      `Views of the connected database nested more than ${NESTED_VIEW_DEPTH} levels deep (views on views)`,
      'short',
      ['datname'],
    ),
    gauge(
      'pg_indexes_partial_candidates',
      `Top-N largest single-column B-tree indexes whose column is at least ${PARTIAL_INDEX_MIN_NULL_FRAC * 100} % NULL (tables of ${PARTIAL_INDEX_MIN_ROWS.toLocaleString('en-US')} rows or more; columns whose statistics the role may not read are not counted)`,
      'short',
      ['datname'],
    ),
  ],
  snapshots: [
    {
      kind: 'public_create_schemas',
      description: 'Schemas of the connected database in which PUBLIC may CREATE',
      columns: [
        { name: 'datname', type: 'string' },
        { name: 'schemaname', type: 'string' },
        { name: 'owner', type: 'string' },
        { name: 'acl', type: 'string', description: 'the schema ACL (=C: PUBLIC may create)' },
      ],
    },
    {
      kind: 'superusers',
      description: 'Roles that can log in as superuser',
      columns: [
        { name: 'rolname', type: 'string' },
        { name: 'valid_until', type: 'time', description: 'password expiry (empty: never)' },
        { name: 'connection_limit', type: 'number', description: '-1: no limit' },
      ],
    },
    {
      kind: 'security_definer_functions',
      description:
        'SECURITY DEFINER functions and procedures of the connected database without a search_path setting',
      columns: [
        { name: 'datname', type: 'string' },
        { name: 'schemaname', type: 'string' },
        { name: 'function_name', type: 'string' },
        {
          name: 'arguments',
          type: 'string',
          description: 'identity arguments, as ALTER FUNCTION takes them',
        },
        { name: 'kind', type: 'string', description: 'function or procedure' },
        { name: 'owner', type: 'string', description: 'whose rights it runs with' },
        { name: 'owner_is_superuser', type: 'boolean' },
        { name: 'language', type: 'string' },
        { name: 'extension', type: 'string', description: 'the extension it belongs to, if any' },
      ],
    },
    {
      kind: 'nested_views',
      description: 'Views of the connected database built on other views, deepest first',
      columns: [
        { name: 'datname', type: 'string' },
        { name: 'schemaname', type: 'string' },
        { name: 'view_name', type: 'string' },
        {
          name: 'depth',
          type: 'number',
          description: 'views in the longest chain down to the tables, itself included (1: on tables only)',
        },
        { name: 'built_on', type: 'string', description: 'the view below it on that chain' },
      ],
    },
    {
      kind: 'partial_index_candidates',
      description:
        'Largest single-column B-tree indexes of big tables whose column is mostly NULL, or whose statistics are not visible',
      columns: [
        { name: 'datname', type: 'string' },
        { name: 'schemaname', type: 'string' },
        { name: 'relname', type: 'string', description: 'the table' },
        { name: 'indexrelname', type: 'string' },
        { name: 'column_name', type: 'string' },
        { name: 'reltuples', type: 'number', description: 'rows of the table (planner estimate)' },
        { name: 'size_bytes', type: 'number', unit: 'bytes', description: 'of the index, from relpages' },
        { name: 'null_frac', type: 'number', unit: 'percentunit', description: 'share of NULLs (pg_stats)' },
        {
          name: 'statistics',
          type: 'string',
          description:
            'visible; hidden: the role may not SELECT the column (not applicable); missing: never analyzed',
        },
      ],
    },
  ],
};
