import { quoteLiteral } from '../quote';
import { Check, FindingDraft } from '../types';
import { bytes, levelOf, num, text } from './helpers';

const LOST = new Set(['lost', 'unreserved']);

/** inactive_replication_slot: each slot nobody consumes, by the WAL it keeps (lost or unreserved: critical). */
export const inactiveReplicationSlot: Check = ({ rows, params }) => {
  const findings: FindingDraft[] = [];
  for (const row of rows('replication')) {
    if (row.object !== 'slot' || row.active !== false) continue;
    const name = text(row, 'name') ?? text(row, 'slot_name') ?? '?';
    const retained = num(row, 'retained_wal_bytes') ?? 0;
    const status = text(row, 'wal_status');
    const severity = LOST.has(status ?? '')
      ? 'critical'
      : levelOf(retained, params.warning_retained_bytes as number, params.critical_retained_bytes as number);
    if (!severity) continue;
    const type = text(row, 'slot_type') ?? 'replication';
    findings.push({
      object: { type: 'replication_slot', name, database: text(row, 'database') ?? null },
      severity,
      title: `Inactive ${type} slot ${name} retains ${bytes(retained)} of WAL`,
      detail: `No consumer is connected to slot ${name}${status ? ` (wal_status ${status})` : ''}: the server keeps its WAL${status === 'lost' ? ', but has already removed WAL it needed: the slot is unusable' : ''}. A slot with an xmin also holds the transaction horizon back.`,
      evidence: [row],
      remediation: {
        statements: [`SELECT pg_drop_replication_slot(${quoteLiteral(name)});`],
        steps: [
          `Is the ${type === 'logical' ? 'subscriber or CDC consumer' : 'standby'} behind slot ${name} coming back? If so, fix it and let it catch up; if it is gone for good (or the slot is lost), drop the slot.`,
          'Set max_slot_wal_keep_size so that a forgotten slot cannot fill the disk.',
        ],
      },
    });
  }
  return findings;
};
