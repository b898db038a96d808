import { qualified, quoteIdent } from '../quote';
import { Check, FindingDraft } from '../types';
import { count, levelOf, num, percent, text } from './helpers';

/** disabled_trigger: triggers disabled on a table (internal ones: a foreign key unchecked). */
export const disabledTrigger: Check = ({ rows }) =>
  rows('schema_health')
    .filter((r) => r.problem === 'disabled_trigger')
    .map((row) => {
      const schema = text(row, 'schemaname') ?? '';
      const table = text(row, 'relname') ?? '?';
      const trigger = text(row, 'object_name') ?? '?';
      const internal = row.is_internal === true;
      const constraint = text(row, 'constraint_name');
      return {
        key: `${schema}.${table}.${trigger}`,
        object: {
          type: 'trigger',
          name: `${schema}.${table}.${trigger}`,
          database: text(row, 'datname') ?? null,
        },
        severity: 'warning',
        title: internal
          ? `Constraint ${constraint ?? trigger} on ${schema}.${table} is not enforced (its trigger is disabled)`
          : `Trigger ${trigger} on ${schema}.${table} is disabled`,
        detail: internal
          ? `The system trigger ${trigger} that enforces ${constraint ?? 'a constraint'} is disabled (ALTER TABLE ... DISABLE TRIGGER ALL): rows written meanwhile were not checked.`
          : `Trigger ${trigger} does not fire: whatever it does (audit, derived columns, checks) silently stops.`,
        evidence: [row],
        remediation: {
          statements: [
            internal
              ? `ALTER TABLE ${qualified(schema, table)} ENABLE TRIGGER ALL;`
              : `ALTER TABLE ${qualified(schema, table)} ENABLE TRIGGER ${quoteIdent(trigger)};`,
          ],
          steps: internal
            ? [
                'After enabling, check the rows written while it was off: the constraint was not checked for them (a NOT VALID re-add and VALIDATE CONSTRAINT finds violations).',
              ]
            : ['Check whether it was disabled on purpose (a bulk load that never re-enabled it).'],
        },
      } satisfies FindingDraft;
    });

/** sequence_exhaustion: sequences past a share of their range (their column's type included). */
export const sequenceExhaustion: Check = ({ rows, params }) => {
  const findings: FindingDraft[] = [];
  for (const row of rows('sequences')) {
    const used = num(row, 'used_ratio');
    if (used === undefined) continue;
    const severity = levelOf(used, params.warning_ratio as number, params.critical_ratio as number);
    if (!severity) continue;
    const schema = text(row, 'schemaname') ?? '';
    const name = text(row, 'sequencename') ?? '?';
    const owner = text(row, 'owned_by');
    const columnType = text(row, 'column_type');
    const small = (type: string | undefined) => type === 'integer' || type === 'smallint';
    const dataType = text(row, 'data_type');
    const table = text(row, 'table_name');
    const column = text(row, 'column_name');
    const widenColumn =
      owner !== undefined && table !== undefined && column !== undefined && small(columnType);
    const statements = [
      ...(widenColumn
        ? [
            `ALTER TABLE ${qualified(text(row, 'table_schema'), table)} ALTER COLUMN ${quoteIdent(column)} TYPE bigint;`,
          ]
        : []),
      ...(small(dataType) ? [`ALTER SEQUENCE ${qualified(schema, name)} AS bigint;`] : []),
    ];
    const limitedBy =
      widenColumn && dataType !== columnType
        ? `, the limit of the ${columnType} column ${owner} it feeds`
        : '';
    findings.push({
      object: { type: 'sequence', name: `${schema}.${name}`, database: text(row, 'datname') ?? null },
      severity,
      title: `Sequence ${schema}.${name} has used ${percent(used)} of its range`,
      detail: `${count(num(row, 'calls_left') ?? 0)} values left before ${count(num(row, 'limit_value') ?? 0)}${limitedBy}${row.cycle === true ? ' (it cycles: values will repeat)' : ''}.`,
      evidence: [row],
      remediation: {
        statements,
        steps: [
          ...(widenColumn
            ? [
                'Changing the column type rewrites the table under an ACCESS EXCLUSIVE lock: plan a window, or migrate through a new bigint column filled in batches. Columns referencing it (foreign keys) need the same change.',
              ]
            : []),
          ...(statements.length === 0
            ? ['It is bigint already: the key scheme itself needs rethinking, well before it runs out.']
            : []),
        ],
      },
    });
  }
  return findings;
};
