import { sql } from '../alerts/helpers';
import {
  NESTED_VIEW_DEPTH,
  PARTIAL_INDEX_MIN_NULL_FRAC,
  PARTIAL_INDEX_MIN_ROWS,
} from '../collectors/recommendations';
import { FindingKind, runbookOf } from './types';

/** Design recommendations (pgwatch reco_nested_views, reco_partial_index_candidates): info. */
export const DESIGN_FINDINGS: FindingKind[] = [
  {
    id: 'nested_view',
    title: 'Deeply nested view',
    category: 'schema',
    description:
      'A view is built on views built on views: the planner expands every level into one query, plans it slowly and often cannot drop the joins the caller does not need; a change at the bottom ripples through every level.',
    severity: 'info',
    inputs: [{ collector: 'recommendations', queries: ['nested-views'] }],
    params: {
      max_depth: {
        default: NESTED_VIEW_DEPTH,
        unit: 'count',
        description:
          'Views in the chain (itself included) above which a view is found (the collector lists from 2)',
      },
    },
    anchors: 'pgwatch reco_nested_views (more than 3 levels)',
    runbook: runbookOf('nested_view'),
    guide: {
      meaning:
        'The view sits on a chain of views more than a few levels deep. PostgreSQL expands every level into one query tree: planning takes longer, joins and columns the caller never uses are often kept (a LEFT JOIN deep down cannot always be removed), estimates compound their errors, and nobody can tell from the top what the query really does. Changing a view at the bottom means dropping and recreating everything above it.',
      checks: [
        {
          what: 'In the database of the finding: the views a view is built on, one level down (repeat for each of them).',
          sql: sql`
            SELECT DISTINCT d.refobjid::regclass AS built_on
            FROM pg_rewrite r
            JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                            AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'n'
            JOIN pg_class c ON c.oid = d.refobjid AND c.relkind = 'v'
            WHERE r.ev_class = 'public.my_view'::regclass AND d.refobjid <> r.ev_class;`,
        },
        {
          what: 'What the planner makes of a typical query on it: the plan shows every table of every level, and the planning time.',
          sql: sql`
            EXPLAIN (SUMMARY) SELECT * FROM public.my_view LIMIT 10;`,
        },
      ],
      remediation: [
        'Flatten it: rewrite the view on the tables directly (`CREATE OR REPLACE VIEW` keeps dependants when the columns stay the same), keeping only the joins its callers need.',
        'For a stack that aggregates a lot and may be a little stale, a materialized view at the right level ends the chain (refreshed with REFRESH MATERIALIZED VIEW CONCURRENTLY).',
      ],
    },
  },
  {
    id: 'partial_index_candidate',
    title: 'Index on a mostly NULL column',
    category: 'indexes',
    description:
      'A single-column B-tree index covers a column that is mostly NULL: every NULL row has an entry no equality or range search needs. The same index WHERE the column IS NOT NULL is smaller and cheaper to write and cache.',
    severity: 'info',
    inputs: [{ collector: 'recommendations', queries: ['partial-index-candidates'] }],
    params: {
      min_null_frac: {
        default: PARTIAL_INDEX_MIN_NULL_FRAC,
        unit: 'ratio',
        description: `Share of NULLs in the column (pg_stats), at least (the collector lists from ${PARTIAL_INDEX_MIN_NULL_FRAC})`,
      },
      min_rows: {
        default: PARTIAL_INDEX_MIN_ROWS,
        unit: 'count',
        description: `Rows of the table, at least (the collector looks at tables from ${PARTIAL_INDEX_MIN_ROWS.toLocaleString('en-US')})`,
      },
    },
    anchors: 'pgwatch reco_partial_index_candidates (more than 50 % NULL, tables of 100,000 rows or more)',
    runbook: runbookOf('partial_index_candidate'),
    guide: {
      meaning:
        'The index keeps an entry for every row, NULLs included, although most of its column is NULL: queries such as `col = 42` or `col > 10` never look at those entries. An index with `WHERE col IS NOT NULL` answers the same queries at a fraction of the size, and inserts of rows with NULL no longer touch it. The column statistics come from pg_stats, which shows a role only the columns it may read: the others are listed as not applicable, never guessed.',
      checks: [
        {
          what: 'In the database of the finding: the share of NULLs of the column, as the last ANALYZE saw it (replace the names with those of the finding).',
          sql: sql`
            SELECT schemaname, tablename, attname, null_frac, n_distinct
            FROM pg_stats
            WHERE schemaname = 'public' AND tablename = 'my_table' AND attname = 'my_column';`,
        },
        {
          what: 'The index, its size and how often it is used.',
          sql: sql`
            SELECT indexrelid::regclass AS index, pg_size_pretty(pg_relation_size(indexrelid)) AS size,
                   idx_scan, pg_get_indexdef(indexrelid) AS definition
            FROM pg_stat_user_indexes
            WHERE indexrelid = 'public.my_index'::regclass;`,
        },
        {
          what: 'Whether any statement searches for the NULLs (they would need the full index); needs pg_stat_statements.',
          sql: sql`
            SELECT calls, left(query, 200) AS query
            FROM pg_stat_statements
            WHERE query ILIKE '%my_column IS NULL%'
            ORDER BY calls DESC
            LIMIT 20;`,
        },
      ],
      remediation: [
        'Build the partial index beside the old one without blocking writes, drop the old one, and give the new one its name (the finding writes the three statements, quoted): `CREATE INDEX CONCURRENTLY my_index_partial ON public.my_table (my_column) WHERE my_column IS NOT NULL;` then `DROP INDEX CONCURRENTLY public.my_index;` and `ALTER INDEX public.my_index_partial RENAME TO my_index;`',
        'Keep the full index if statements search for the NULLs (`WHERE my_column IS NULL`), or if the original had storage options or a tablespace: add them to the new index.',
      ],
    },
  },
];
