import { sql } from '../alerts/helpers';
import { FindingKind, runbookOf } from './types';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

export const REPLICATION_FINDINGS: FindingKind[] = [
  {
    id: 'inactive_replication_slot',
    title: 'Inactive replication slot retaining WAL',
    category: 'replication',
    description:
      'No consumer is connected to a replication slot: it keeps WAL from removal (pg_wal grows until the disk fills, or max_slot_wal_keep_size invalidates the slot) and, with an xmin, holds the transaction horizon back.',
    severity: 'warning',
    inputs: [{ collector: 'replication', queries: ['replication-slots'] }],
    params: {
      warning_retained_bytes: {
        default: 0,
        unit: 'bytes',
        description: 'WAL retained by an inactive slot: warning (0: any inactive slot)',
      },
      critical_retained_bytes: {
        default: 10 * GIB,
        unit: 'bytes',
        description: 'WAL retained: critical (a lost or unreserved slot is critical too)',
      },
    },
    anchors:
      'pgmonitor PGReplicationSlotsInactive (any inactive slot); check_postgres replication_slots (retained bytes); the alert inactive_slot_retaining_wal (10 GiB critical)',
    runbook: runbookOf('inactive_replication_slot'),
    relatedAlerts: ['inactive_slot_retaining_wal'],
    guide: {
      meaning:
        'A replication slot promises its consumer (a standby, a logical subscriber, a backup tool, a CDC connector) every WAL segment since its restart_lsn. With nobody consuming it, pg_wal grows until the disk fills and the server stops, unless max_slot_wal_keep_size invalidates the slot first (then the consumer must be re-seeded). A slot with an xmin also holds the transaction horizon back.',
      checks: [
        {
          what: 'Every slot: whether someone consumes it, the WAL it retains, its state and the transaction IDs it holds.',
          sql: sql`
            SELECT slot_name, slot_type, database, active, active_pid, wal_status,
                   pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)) AS retained_wal,
                   pg_size_pretty(safe_wal_size) AS safe_wal_size,
                   age(xmin) AS xmin_age, age(catalog_xmin) AS catalog_xmin_age
            FROM pg_replication_slots
            ORDER BY pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) DESC NULLS LAST;`,
        },
        {
          what: 'How much WAL sits in pg_wal now, and the settings that bound it.',
          sql: sql`
            SELECT count(*) AS segments, pg_size_pretty(sum(size)) AS size,
                   current_setting('max_slot_wal_keep_size') AS max_slot_wal_keep_size,
                   current_setting('max_wal_size') AS max_wal_size
            FROM pg_ls_waldir();`,
        },
        {
          what: 'The consumers connected now (a physical standby shows here with its slot; a subscriber by its application_name).',
          sql: sql`
            SELECT pid, application_name, client_addr, state, sync_state,
                   pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)) AS replay_lag
            FROM pg_stat_replication;`,
        },
      ],
      remediation: [
        'If the consumer should come back (a standby restarting, a subscriber paused), bring it back and watch retained_wal fall; make sure the WAL disk holds until then.',
        "If it is gone for good: `SELECT pg_drop_replication_slot('<slot>');` (the finding quotes it); a standby or subscriber that used it must be re-seeded afterwards.",
        "Cap what any slot may retain so that a lost consumer cannot fill the disk: `ALTER SYSTEM SET max_slot_wal_keep_size = '50GB'; SELECT pg_reload_conf();`",
      ],
    },
  },
  {
    id: 'logical_decoding_spill',
    title: 'Logical decoding spilling to disk',
    category: 'replication',
    description:
      'Logical decoding for a slot writes large amounts of changes to disk (pg_replslot) because transactions outgrow logical_decoding_work_mem: extra I/O on the publisher and a consumer that receives them late.',
    severity: 'warning',
    inputs: [{ collector: 'replication', queries: ['replication-slots'] }],
    counters: ['pg_replication_slot_spill_bytes_total'],
    params: {
      warning_bytes_per_second: {
        default: MIB,
        unit: 'bytes_per_second',
        description: 'Bytes spilled per second over the window, per slot: warning',
      },
      window_s: { default: 900, unit: 'seconds', description: 'Window the rate is measured over' },
    },
    anchors:
      'ours (1 MiB/s, about 900 MiB a quarter hour: transactions outgrowing logical_decoding_work_mem all the time, not one batch); pgwatch replication_slot_stats collects it without a threshold; the window as temp_spill',
    runbook: runbookOf('logical_decoding_spill'),
    guide: {
      meaning:
        "Logical decoding keeps each transaction's changes in memory until the transaction commits, up to logical_decoding_work_mem (64MB by default) for all transactions of a WAL sender; beyond that it writes the largest transaction to files under pg_replslot and reads them back at commit. Spilling a lot means large transactions (batch loads, mass updates) are decoded from disk: extra I/O and disk space on the publisher, and the subscriber or CDC consumer gets the changes later. Streaming in-progress transactions to the consumer (a subscription with streaming = on, protocol version 2+) avoids the spill.",
      checks: [
        {
          what: 'Spilled and streamed transactions and bytes per slot since the statistics reset (PostgreSQL 14+).',
          sql: sql`
            SELECT slot_name, spill_txns, spill_count, pg_size_pretty(spill_bytes) AS spilled,
                   stream_txns, pg_size_pretty(stream_bytes) AS streamed,
                   total_txns, pg_size_pretty(total_bytes) AS decoded, stats_reset
            FROM pg_stat_replication_slots
            ORDER BY spill_bytes DESC;`,
        },
        {
          what: 'The logical slots, their plugins and consumers.',
          sql: sql`
            SELECT slot_name, plugin, database, active, active_pid,
                   pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)) AS retained_wal
            FROM pg_replication_slots
            WHERE slot_type = 'logical';`,
        },
        {
          what: 'The memory decoding may use before it spills.',
          sql: sql`
            SELECT name, setting, unit, source
            FROM pg_settings
            WHERE name IN ('logical_decoding_work_mem', 'max_wal_senders');`,
        },
      ],
      remediation: [
        'For a PostgreSQL subscriber, stream large transactions instead of spilling them (on the subscriber): `ALTER SUBSCRIPTION <subscription> SET (streaming = on);` (PostgreSQL 16+ also `parallel`).',
        "Give decoding more memory (per WAL sender, no restart): `ALTER SYSTEM SET logical_decoding_work_mem = '256MB'; SELECT pg_reload_conf();`, or for one consumer's role: `ALTER ROLE <role> SET logical_decoding_work_mem = '256MB';`",
        'Split the large transactions (batch loads, mass updates) into smaller ones where the application allows it.',
      ],
    },
  },
];
