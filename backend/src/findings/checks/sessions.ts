import { SnapshotRow } from '../../collectors/types';
import { Check, FindingDraft } from '../types';
import { count, duration, evidence, levelOf, num, text } from './helpers';
import { roleSetting, signalSession } from './statements';

const CLIENT = 'client backend';

const whoIs = (row: SnapshotRow): string => {
  const context = [text(row, 'application_name'), text(row, 'usename')].filter(Boolean).join(', ');
  return `pid ${num(row, 'pid') ?? '?'}${context ? ` (${context})` : ''}`;
};

const sessionKey = (row: SnapshotRow): string => `${num(row, 'pid')}:${text(row, 'backend_start_us') ?? ''}`;

/** The client sessions of the hot snapshot (PG Governor's own collecting session left out). */
const clientSessions = (rows: SnapshotRow[]): SnapshotRow[] =>
  rows.filter((r) => text(r, 'backend_type') === CLIENT && r.is_self !== true);

/** idle_in_transaction: each session idle inside an open transaction past the threshold. */
export const idleInTransaction: Check = ({ rows, params }) => {
  const findings: FindingDraft[] = [];
  for (const row of clientSessions(rows('sessions'))) {
    if (!text(row, 'state')?.startsWith('idle in transaction')) continue;
    const idle = num(row, 'state_seconds') ?? 0;
    const severity = levelOf(idle, params.warning_s as number, params.critical_s as number);
    if (!severity) continue;
    const pid = num(row, 'pid') as number;
    const held = num(row, 'transaction_seconds');
    findings.push({
      key: sessionKey(row),
      object: { type: 'session', name: `pid ${pid}`, database: text(row, 'datname') ?? null },
      severity,
      title: `Session ${whoIs(row)} idle in transaction for ${duration(idle)}`,
      detail: `Idle inside a transaction open for ${duration(held ?? idle)}: it holds its locks and its snapshot. Last statement: ${text(row, 'query') ?? '(not visible)'}`,
      evidence: [row],
      remediation: {
        statements: [
          signalSession('pg_terminate_backend', pid, text(row, 'backend_start_us')),
          ...roleSetting(text(row, 'usename'), 'idle_in_transaction_session_timeout', '10min'),
        ],
        steps: [
          'Find in the application why the transaction is left open (an exception path without ROLLBACK, work done between queries inside a transaction).',
          'Terminating the session rolls its transaction back; the per-role timeout ends the next one on its own.',
        ],
      },
    });
  }
  return findings;
};

/** long_running_query: each active statement running past the threshold. */
export const longRunningQuery: Check = ({ rows, params }) => {
  const findings: FindingDraft[] = [];
  for (const row of clientSessions(rows('sessions'))) {
    if (text(row, 'state') !== 'active') continue;
    const running = num(row, 'query_seconds') ?? 0;
    const severity = levelOf(running, params.warning_s as number, params.critical_s as number);
    if (!severity) continue;
    const pid = num(row, 'pid') as number;
    const waiting = text(row, 'wait_event_type');
    findings.push({
      key: sessionKey(row),
      object: { type: 'session', name: `pid ${pid}`, database: text(row, 'datname') ?? null },
      severity,
      title: `Query of ${whoIs(row)} running for ${duration(running)}`,
      detail: `${waiting ? `Waiting on ${waiting}/${text(row, 'wait_event') ?? '?'}. ` : ''}Query: ${text(row, 'query') ?? '(not visible)'}`,
      evidence: [row],
      remediation: {
        statements: [
          signalSession('pg_cancel_backend', pid, text(row, 'backend_start_us')),
          ...roleSetting(text(row, 'usename'), 'statement_timeout', '15min'),
        ],
        steps: [
          'Look at its plan (EXPLAIN of the query, or the top statements table): a missing index or a bad estimate is the usual cause.',
          'Cancelling stops the statement and keeps the session; a per-role statement_timeout stops the next one on its own.',
        ],
      },
    });
  }
  return findings;
};

/** blocking_chain: each root blocker holding up sessions past the threshold. */
export const blockingChain: Check = ({ rows, params }) => {
  const sessions = new Map(rows('sessions').map((s) => [num(s, 'pid'), s]));
  const byRoot = new Map<number, SnapshotRow[]>();
  for (const link of rows('blocking')) {
    const root = num(link, 'root_pid');
    if (root !== undefined) byRoot.set(root, [...(byRoot.get(root) ?? []), link]);
  }
  const findings: FindingDraft[] = [];
  for (const [root, links] of byRoot) {
    if (links.length < (params.min_blocked as number)) continue;
    const longest = Math.max(...links.map((l) => num(l, 'wait_seconds') ?? 0));
    const severity = levelOf(longest, params.warning_wait_s as number, params.critical_wait_s as number);
    if (!severity) continue;
    const first = links[0] as SnapshotRow;
    const session = sessions.get(root);
    const state = text(first, 'root_state') ?? (session ? text(session, 'state') : undefined);
    const idle = state?.startsWith('idle') ?? false;
    const who = session
      ? whoIs(session)
      : `pid ${root}${text(first, 'root_application') ? ` (${text(first, 'root_application')})` : ''}`;
    findings.push({
      key: `${root}:${session ? (text(session, 'backend_start_us') ?? '') : ''}`,
      object: { type: 'session', name: `pid ${root}`, database: text(first, 'datname') ?? null },
      severity,
      title: `Session ${who} blocks ${count(links.length)} session${links.length === 1 ? '' : 's'}, longest wait ${duration(longest)}`,
      detail: `The root of the chain is ${state ?? 'in an unknown state'}${idle ? ' (it holds its locks while doing nothing)' : ''}. Its query: ${text(first, 'root_query') ?? '(not visible)'}`,
      evidence: evidence(session ? [session, ...links] : links),
      remediation: {
        statements: [
          signalSession(
            idle ? 'pg_terminate_backend' : 'pg_cancel_backend',
            root,
            session ? text(session, 'backend_start_us') : undefined,
          ),
        ],
        steps: [
          idle
            ? 'The blocker sits idle in its transaction: terminating it rolls back and releases the locks.'
            : 'Cancelling the blocker’s statement may not release locks taken earlier in its transaction; terminate it if the waits go on.',
          'Then look at why it held the lock that long (a migration without lock_timeout, a long transaction around a hot row).',
        ],
      },
    });
  }
  return findings;
};
