import { SnapshotRow } from '../../collectors/types';
import { qualified, quoteIdent } from '../quote';
import { Check, FindingDraft } from '../types';
import { count, levelOf, num, percent, text } from './helpers';

const LIMIT = 2 ** 31;

function wraparoundCheck(what: 'xid' | 'mxid'): Check {
  const label = what === 'xid' ? 'transaction ID' : 'multixact ID';
  return ({ rows, params }) => {
    const findings: FindingDraft[] = [];
    const all = rows('wraparound');
    const tables = all.filter((r) => r.object === 'table');
    for (const row of all) {
      const age = num(row, `${what}_age`) ?? 0;
      const ratio = num(row, `${what}_wraparound_ratio`) ?? age / LIMIT;
      const severity = levelOf(ratio, params.warning_ratio as number, params.critical_ratio as number);
      if (!severity) continue;
      const database = text(row, 'datname') ?? '?';
      if (row.object === 'database') {
        const oldest = tables.filter((t) => text(t, 'datname') === database).slice(0, 5);
        findings.push({
          object: { type: 'database', name: database, database },
          severity,
          title: `Database ${database} is ${percent(ratio)} of the way to ${label} wraparound`,
          detail: `Its oldest unfrozen ${label} is ${count(age)} old (the server stops at 2^31). Anti-wraparound autovacuums should be freezing it: check they run and are not blocked by the transaction horizon.`,
          evidence: [row, ...oldest],
          remediation: remediationFor(database, oldest),
        });
      } else {
        const schema = text(row, 'schemaname');
        const relation = text(row, 'relname') ?? '?';
        findings.push({
          object: { type: 'relation', name: `${schema ?? ''}.${relation}`, database },
          severity,
          title: `Table ${schema}.${relation} is ${percent(ratio)} of the way to ${label} wraparound`,
          detail: `Its oldest unfrozen ${label} (TOAST included) is ${count(age)} old${row.is_temporary === true ? '; it is a temporary table, which only its own session can vacuum' : ''}.`,
          evidence: [row],
          remediation: remediationFor(database, [row]),
        });
      }
    }
    return findings;
  };
}

function remediationFor(database: string, tables: SnapshotRow[]) {
  return {
    statements: tables
      .filter((t) => t.is_temporary !== true && text(t, 'relname'))
      .map(
        (t) => `VACUUM (FREEZE, VERBOSE) ${qualified(text(t, 'schemaname'), text(t, 'relname') as string)};`,
      ),
    steps: [
      `Connected to database ${quoteIdent(database)}, freeze its oldest tables first (the statements), or the whole database (vacuumdb --freeze --jobs=4).`,
      'Before that, remove what holds the transaction horizon back (see the xmin_horizon finding): a freeze cannot pass it.',
    ],
  };
}

export const xidWraparound = wraparoundCheck('xid');
export const mxidWraparound = wraparoundCheck('mxid');
