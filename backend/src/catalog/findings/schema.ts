import { sql } from '../alerts/helpers';
import { FindingKind, runbookOf } from './types';

export const SCHEMA_FINDINGS: FindingKind[] = [
  {
    id: 'disabled_trigger',
    title: 'Disabled trigger',
    category: 'schema',
    description:
      'A trigger is disabled (ALTER TABLE ... DISABLE TRIGGER): what it does silently stops; a disabled internal trigger means a foreign key goes unchecked.',
    severity: 'warning',
    inputs: [{ collector: 'schema_health' }],
    params: {},
    anchors: 'check_postgres disabled_triggers (1 by default); pgwatch reco_disabled_triggers',
    runbook: runbookOf('disabled_trigger'),
    guide: {
      meaning:
        'Someone ran ALTER TABLE ... DISABLE TRIGGER (often for a bulk load) and did not enable it again: what the trigger does (auditing, denormalised columns, notifications) silently stops. A disabled internal trigger means a foreign key is no longer checked, and rows that break it may already exist.',
      checks: [
        {
          what: 'In the database of the finding: the disabled triggers, and the constraint behind an internal one.',
          sql: sql`
            SELECT t.tgrelid::regclass AS table, t.tgname, t.tgisinternal, c.conname AS constraint_name,
                   pg_get_triggerdef(t.oid) AS definition
            FROM pg_trigger t
            LEFT JOIN pg_constraint c ON c.oid = t.tgconstraint
            WHERE t.tgenabled = 'D'
            ORDER BY t.tgrelid::regclass::text, t.tgname;`,
        },
        {
          what: 'Whether sessions run with session_replication_role = replica (triggers then do not fire either, disabled or not).',
          sql: sql`
            SELECT name, setting, source
            FROM pg_settings
            WHERE name = 'session_replication_role';`,
        },
      ],
      remediation: [
        'Ask who disabled it and why (a load script that failed before re-enabling is the usual story).',
        'Enable it again: `ALTER TABLE <schema>.<table> ENABLE TRIGGER <trigger>;` (the finding quotes it; it takes a SHARE ROW EXCLUSIVE lock briefly). Rows written meanwhile did not go through it: repair what it should have done.',
        'A foreign key trigger: find the rows that break the constraint before enabling it, or drop and re-add the constraint as NOT VALID and then `ALTER TABLE <schema>.<table> VALIDATE CONSTRAINT <constraint>;`.',
      ],
    },
  },
  {
    id: 'sequence_exhaustion',
    title: 'Sequence near exhaustion',
    category: 'schema',
    description:
      'A sequence has used most of its range (its own limit, or the integer column it feeds): when it runs out nextval() fails, and so does every insert that needs it.',
    severity: 'warning',
    inputs: [{ collector: 'sequences' }],
    params: {
      warning_ratio: { default: 0.85, unit: 'ratio', description: 'Share of the range used: warning' },
      critical_ratio: { default: 0.95, unit: 'ratio', description: 'Share of the range used: critical' },
    },
    anchors:
      'check_postgres sequence (85 % warning, 95 % critical); pgmonitor PGSequenceExhaustion (75 %); pgwatch sequence_health',
    runbook: runbookOf('sequence_exhaustion'),
    guide: {
      meaning:
        'A sequence has used most of its range, its own MAXVALUE or the integer column it feeds (an int4 serial stops at 2,147,483,647). When it runs out, nextval() fails and so does every insert that needs a new id: an outage of that table.',
      checks: [
        {
          what: 'In the database of the finding: sequences by the share of their own range used.',
          sql: sql`
            SELECT schemaname, sequencename, data_type, last_value, max_value, increment_by, cycle,
                   round(100.0 * last_value / max_value, 2) AS pct_used
            FROM pg_sequences
            WHERE last_value IS NOT NULL AND increment_by > 0
            ORDER BY last_value::numeric / max_value DESC
            LIMIT 20;`,
        },
        {
          what: 'The column each sequence feeds, and its type (an integer column runs out before a bigint sequence does).',
          sql: sql`
            SELECT s.seqrelid::regclass AS sequence, d.refobjid::regclass AS table, a.attname AS column,
                   format_type(a.atttypid, a.atttypmod) AS column_type
            FROM pg_sequence s
            JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid
                            AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
            JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
            ORDER BY 1;`,
        },
      ],
      remediation: [
        'Estimate the time left from the rate at which last_value grows; plan the change well before it.',
        'The column is integer: widen it, `ALTER TABLE <schema>.<table> ALTER COLUMN <column> TYPE bigint;` rewrites the table under an ACCESS EXCLUSIVE lock (for big tables: a new bigint column filled in batches by a trigger, then a swap), and widen the sequence: `ALTER SEQUENCE <schema>.<sequence> AS bigint;`',
        'The sequence itself is at its MAXVALUE: `ALTER SEQUENCE <schema>.<sequence> MAXVALUE <larger>;`. Never restart or cycle a sequence whose old values are still in use (duplicate keys).',
      ],
    },
  },
];
