import { quoteLiteral } from '../quote';
import { Check, FindingDraft } from '../types';
import { bytes, duration, levelOf, num, text } from './helpers';

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

/** logical_decoding_spill: bytes a slot's decoding spilled to disk per second over the window. */
export const logicalDecodingSpill: Check = ({ rows, increase, params }) => {
  const findings: FindingDraft[] = [];
  const slots = rows('replication').filter((r) => r.object === 'slot');
  for (const series of increase(
    'pg_replication_slot_spill_bytes_total',
    (params.window_s as number) * 1000,
  )) {
    if (series.spanMs <= 0 || series.increase <= 0) continue;
    const rate = series.increase / (series.spanMs / 1000);
    if (rate < (params.warning_bytes_per_second as number)) continue;
    const label = series.labels.slot_name ?? '?';
    const slot = slots.find((r) => text(r, 'name') === label);
    const database = slot ? (text(slot, 'database') ?? null) : null;
    findings.push({
      object: { type: 'replication_slot', name: label, database },
      severity: 'warning',
      title: `Logical decoding for slot ${label} spills ${bytes(rate)}/s to disk`,
      detail: `${bytes(series.increase)} of decoded changes spilled to pg_replslot in ${duration(series.spanMs / 1000)}: transactions outgrow logical_decoding_work_mem and are decoded from disk, late for the consumer.`,
      evidence: [
        {
          slot_name: label,
          plugin: slot ? (text(slot, 'plugin') ?? null) : null,
          database,
          spill_bytes: series.increase,
          window_seconds: Math.round(series.spanMs / 1000),
          bytes_per_second: rate,
        },
      ],
      remediation: {
        statements: [],
        steps: [
          'A PostgreSQL subscriber: stream large transactions instead (on the subscriber, ALTER SUBSCRIPTION ... SET (streaming = on)); another consumer: its streaming option, if it has one.',
          "Raise logical_decoding_work_mem (per WAL sender, reload: ALTER SYSTEM SET logical_decoding_work_mem = '256MB'; SELECT pg_reload_conf();), minding the memory of every WAL sender.",
          'Split the large transactions (batch loads, mass updates) where the application allows it.',
        ],
      },
    });
  }
  return findings;
};
