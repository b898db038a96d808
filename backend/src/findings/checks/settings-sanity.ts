import { settingRuleOf } from '../../catalog/findings/setting-rules';
import { SnapshotRow } from '../../collectors/types';
import { settingInBaseUnits } from '../../collectors/settings/setting-values';
import { Severity } from '../../config/alerts-schema';
import { quoteIdent, quoteLiteral } from '../quote';
import { Check, FindingDraft, Remediation } from '../types';
import { bytes, text } from './helpers';

/**
 * Where a value set for one role, database or session comes from: it says nothing of the server
 * (and the collector's own role and session are among them).
 */
const NOT_SERVER_WIDE = new Set([
  'database',
  'user',
  'database user',
  'session',
  'client',
  'interactive',
  'test',
]);
/** Values the server was started with: ALTER SYSTEM does not win over them. */
const STARTED_WITH = new Set(['command line', 'environment variable']);

/** What a human runs to set a server-wide setting back: a statement where one works, else steps. */
function setBack(row: SnapshotRow, name: string, safe: string): Remediation {
  const source = text(row, 'source') ?? '';
  if (STARTED_WITH.has(source))
    return {
      statements: [],
      steps: [
        `${name} comes from the server's ${source}: remove it there (the service definition or the environment of the postmaster) or set it to ${safe}, and restart; ALTER SYSTEM does not win over it.`,
      ],
    };
  const restart = text(row, 'context') === 'postmaster';
  return {
    statements: [
      `ALTER SYSTEM SET ${quoteIdent(name)} = ${quoteLiteral(safe)};`,
      ...(restart ? [] : ['SELECT pg_reload_conf();']),
    ],
    steps: [
      ...(restart ? [`${name} takes effect at the next restart: plan it.`] : []),
      `ALTER SYSTEM writes postgresql.auto.conf, which wins over postgresql.conf: fix the value in the file that sets it too (pg_settings.sourcefile) so that nobody is surprised.`,
    ],
  };
}

function finding(
  row: SnapshotRow,
  name: string,
  severity: Severity,
  title: string,
  detail: string,
  remediation: Remediation,
): FindingDraft {
  return { object: { type: 'setting', name }, severity, title, detail, evidence: [row], remediation };
}

/** shared_buffers below the threshold: the server caches almost nothing itself. */
function tinySharedBuffers(row: SnapshotRow, minBytes: number): FindingDraft | undefined {
  const value = settingInBaseUnits(text(row, 'setting') ?? null, text(row, 'unit') ?? null);
  if (value === undefined || value >= minBytes) return undefined;
  const suggested = `${Math.ceil(minBytes / 1024 ** 2)}MB`;
  const back = setBack(row, 'shared_buffers', suggested);
  return finding(
    row,
    'shared_buffers',
    'warning',
    `shared_buffers is ${bytes(value)}, below ${bytes(minBytes)}`,
    `PostgreSQL caches only ${bytes(value)} of data itself: every other read goes to the operating system's cache or to disk. A production server commonly gives it about a quarter of its memory.`,
    {
      statements: back.statements,
      steps: [
        'Size it for the machine: about 25 % of its RAM as a start (the value in the statement is only the floor of this check).',
        ...back.steps,
      ],
    },
  );
}

/**
 * settings_sanity: one finding per server-wide setting a rule flags (catalog/findings/setting-rules),
 * and for shared_buffers below its floor.
 */
export const settingsSanity: Check = ({ rows, params }) => {
  const findings: FindingDraft[] = [];
  for (const row of rows('settings')) {
    const name = text(row, 'name');
    const value = text(row, 'setting');
    if (!name || value === undefined || NOT_SERVER_WIDE.has(text(row, 'source') ?? '')) continue;
    if (name === 'shared_buffers') {
      const tiny = tinySharedBuffers(row, params.min_shared_buffers_bytes as number);
      if (tiny) findings.push(tiny);
      continue;
    }
    const rule = settingRuleOf(name);
    if (!rule || !rule.values.includes(value)) continue;
    const remediation: Remediation =
      rule.safe === null
        ? {
            statements: [],
            steps: [
              'Checksums are turned on with pg_checksums --enable on a cleanly stopped cluster (it rewrites every page: plan the downtime), or on a new cluster (initdb --data-checksums, the default from PostgreSQL 18) that a replica or a dump and restore moves to.',
            ],
          }
        : setBack(row, name, rule.safe);
    findings.push(
      finding(
        row,
        name,
        rule.severity,
        `${name} = ${value}`,
        `${name} is ${value} server-wide (source: ${text(row, 'source') ?? 'unknown'}): ${rule.reason}.`,
        remediation,
      ),
    );
  }
  return findings;
};
