import { Severity } from '../../config/alerts-schema';
import { SnapshotRow } from '../../collectors/types';
import { quoteLiteral } from '../quote';
import { Check, FindingDraft, FindingObject, Remediation } from '../types';
import { count, duration, evidence, levelOf, num, text } from './helpers';
import { roleSetting, signalSession } from './statements';

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
const worst = (levels: (Severity | undefined)[]): Severity | undefined =>
  levels.reduce<Severity | undefined>(
    (a, b) => (b === undefined ? a : a === undefined || RANK[b] > RANK[a] ? b : a),
    undefined,
  );

function describeHolder(kind: string, row: SnapshotRow): { object: FindingObject; who: string } {
  const holder = text(row, 'holder') ?? '?';
  const app = text(row, 'application_name');
  const user = text(row, 'usename');
  const database = text(row, 'datname') ?? null;
  const context = [app, user].filter(Boolean).join(', ');
  switch (kind) {
    case 'session':
      return {
        object: { type: 'session', name: `pid ${holder}`, database },
        who: `session pid ${holder}${context ? ` (${context})` : ''}`,
      };
    case 'prepared_transaction':
      return {
        object: { type: 'prepared_transaction', name: holder, database },
        who: `prepared transaction ${JSON.stringify(holder)}${user ? ` (owner ${user})` : ''}`,
      };
    case 'standby_feedback':
      return {
        object: { type: 'standby', name: holder, database: null },
        who: `standby ${holder} (hot_standby_feedback)`,
      };
    default: {
      const streaming = app ? `, streamed to ${app}` : row.active === false ? ', inactive' : '';
      const catalogOnly = kind === 'replication_slot_catalog' ? ' catalog_xmin' : '';
      return {
        object: { type: 'replication_slot', name: holder, database },
        who: `replication slot ${holder}${catalogOnly}${streaming}`,
      };
    }
  }
}

function remediationFor(kind: string, row: SnapshotRow): Remediation {
  const holder = text(row, 'holder') ?? '';
  const user = text(row, 'usename');
  const database = text(row, 'datname');
  switch (kind) {
    case 'session': {
      const pid = num(row, 'pid');
      const client = text(row, 'backend_type') === 'client backend';
      return {
        statements:
          client && pid !== undefined
            ? [
                signalSession('pg_terminate_backend', pid, text(row, 'backend_start_us')),
                ...roleSetting(user, 'idle_in_transaction_session_timeout', '10min'),
              ]
            : [],
        steps: [
          client
            ? 'Find out from the application why its transaction (or snapshot) stays open; end it (COMMIT or ROLLBACK), or terminate the session.'
            : `It is a ${text(row, 'backend_type') ?? 'background'} process: let it finish (an anti-wraparound autovacuum must), or cancel it if it is a manual maintenance command.`,
          'Then VACUUM (VERBOSE) the busiest tables: "dead but not yet removable" should drop.',
        ],
      };
    }
    case 'prepared_transaction':
      return {
        statements: [
          `COMMIT PREPARED ${quoteLiteral(holder)};`,
          `ROLLBACK PREPARED ${quoteLiteral(holder)};`,
        ],
        steps: [
          `Ask the transaction manager that prepared it whether it must commit or roll back; then run one of the two statements connected to database ${database ?? '(its database)'} as ${user ?? 'its owner'} or a superuser.`,
          'A prepared transaction survives restarts and holds its locks until resolved.',
        ],
      };
    case 'standby_feedback':
      return {
        statements: [],
        steps: [
          `On standby ${holder}: find the long-running queries (pg_stat_activity) and cancel them, or turn hot_standby_feedback off there (its queries may then be cancelled by replication conflicts).`,
        ],
      };
    default:
      return {
        statements: row.active === false ? [`SELECT pg_drop_replication_slot(${quoteLiteral(holder)});`] : [],
        steps:
          row.active === false
            ? [
                'Nobody consumes the slot: drop it if its standby or subscriber is gone for good (it then has to be rebuilt or resynchronised).',
              ]
            : [
                `Its consumer (${text(row, 'application_name') ?? 'a standby or subscriber'}) holds it back: long queries on a standby with hot_standby_feedback, or a logical subscriber that does not confirm. Fix the consumer; drop the slot only if it is gone for good.`,
              ],
      };
  }
}

/** xmin_horizon: per kind of holder, the holders past a threshold; the oldest names the finding. */
export const xminHorizon: Check = ({ rows, params }) => {
  const byKind = new Map<string, SnapshotRow[]>();
  for (const row of rows('xmin_horizon')) {
    const kind = text(row, 'holder_kind');
    if (kind) byKind.set(kind, [...(byKind.get(kind) ?? []), row]);
  }
  const findings: FindingDraft[] = [];
  for (const [kind, holders] of byKind) {
    const offending = holders
      .map((row) => {
        const byXid = levelOf(
          num(row, 'age_transactions') ?? 0,
          params.warning_xid_age as number,
          params.critical_xid_age as number,
        );
        const byTime =
          kind === 'prepared_transaction'
            ? levelOf(
                num(row, 'age_seconds') ?? 0,
                params.prepared_warning_age_s as number,
                params.prepared_critical_age_s as number,
              )
            : undefined;
        return { row, severity: worst([byXid, byTime]) };
      })
      .filter((h): h is { row: SnapshotRow; severity: Severity } => h.severity !== undefined)
      .sort((a, b) => (num(b.row, 'age_transactions') ?? 0) - (num(a.row, 'age_transactions') ?? 0));
    const oldest = offending[0];
    if (!oldest) continue;
    const { object, who } = describeHolder(kind, oldest.row);
    const age = num(oldest.row, 'age_transactions') ?? 0;
    const seconds = num(oldest.row, 'age_seconds');
    const since = seconds === undefined ? '' : `, ${duration(seconds)}`;
    const others = offending.length > 1 ? ` (and ${offending.length - 1} more of this kind)` : '';
    findings.push({
      key: kind,
      object,
      severity: worst(offending.map((h) => h.severity)) as Severity,
      title: `Transaction horizon held back by ${who}: ${count(age)} transactions${since}`,
      detail: `The ${who} holds xmin ${text(oldest.row, 'xmin') ?? '?'}, ${count(age)} transactions old${since}${others}. VACUUM cannot remove rows deleted after it, nor freeze past it.`,
      evidence: evidence(offending.map((h) => h.row)),
      remediation: remediationFor(kind, oldest.row),
    });
  }
  return findings;
};
