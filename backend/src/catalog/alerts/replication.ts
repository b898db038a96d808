import { and, filter, maxBy, metric } from './ast';
import { AlertDefinition } from './types';
import { GIB, NO_DATA, sql, T } from './helpers';

const REPLICA = { ...T, replica: 'standby1' };
const SLOT = ['target', 'slot_name'];
const SLOT_FIXTURE = { ...T, slot_name: 'analytics' };

export const REPLICATION_ALERTS: AlertDefinition[] = [
  {
    id: 'replication_lag',
    name: 'PgReplicationLag',
    category: 'replication',
    component: 'postgresql',
    summary: 'Replica {{label.replica}} of {{label.target}} replays {{value}} behind',
    description:
      'The replay lag of {{label.replica}} is {{value}} (threshold {{threshold}}): reads there are stale, and a failover would lose or wait for that much.',
    runbook: {
      meaning:
        'Reads on the replica return stale data, and a failover to it would lose or first have to replay that much. With synchronous replication, commits on the primary may wait.',
      checks: [
        {
          what: "On the primary: each replica and its lag at every stage (write: network, flush: the replica's disk, replay: applying).",
          sql: sql`
            SELECT application_name, client_addr, state, sync_state, write_lag, flush_lag, replay_lag,
                   pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)) AS replay_behind
            FROM pg_stat_replication;`,
        },
        {
          what: 'On the replica: is replay paused, and how old is the last replayed transaction?',
          on: 'standby',
          sql: sql`
            SELECT pg_is_in_recovery() AS standby, pg_is_wal_replay_paused() AS replay_paused,
                   pg_last_wal_receive_lsn() AS received, pg_last_wal_replay_lsn() AS replayed,
                   now() - pg_last_xact_replay_timestamp() AS replay_delay;`,
        },
        {
          what: 'On the replica: queries cancelled for conflicting with replay (long queries there hold replay back up to max_standby_streaming_delay).',
          on: 'standby',
          sql: sql`
            SELECT datname, confl_snapshot, confl_lock, confl_bufferpin, confl_deadlock
            FROM pg_stat_database_conflicts;`,
        },
      ],
      remediation: [
        "Write lag: the network or the replica's receiver. Replay lag: the replica's I/O, or a long query there conflicting with replay; cancel it on the replica.",
        'A paused replay resumes with `SELECT pg_wal_replay_resume();` on the replica.',
        'Do not fail over to a replica that lags; if it cannot catch up, rebuild it from a fresh base backup.',
      ],
    },
    noData: NO_DATA.onlyWhereItExists,
    unit: 'seconds',
    comparator: '>=',
    levels: { warning: { threshold: 30, for_s: 120 }, critical: { threshold: 300, for_s: 120 } },
    instanceLabels: ['target', 'replica'],
    value: () => maxBy(['target', 'replica'], metric('pg_replication_lag_seconds', { kind: 'replay' })),
    fixtures: {
      kind: 'value',
      instance: REPLICA,
      epsilon: 1,
      inputs: (value) => [
        { metric: 'pg_replication_lag_seconds', labels: { ...REPLICA, kind: 'replay' }, value },
        // Another kind must not count.
        { metric: 'pg_replication_lag_seconds', labels: { ...REPLICA, kind: 'write' }, value: 0 },
      ],
    },
  },
  {
    id: 'replication_lag_bytes',
    name: 'PgReplicationLagBytes',
    category: 'replication',
    component: 'postgresql',
    summary: 'Replica {{label.replica}} of {{label.target}} is {{value}}B of WAL behind',
    description:
      'WAL between the primary and what {{label.replica}} has replayed: {{value}}B (threshold {{threshold}}B). The primary keeps that WAL while a slot holds it.',
    runbook: {
      meaning:
        'The replica has that much WAL to replay: a failover would wait for it, and while a slot holds it the primary keeps the WAL in pg_wal. A large byte lag with a small time lag is a write burst the replica is catching up with.',
      checks: [
        {
          what: "On the primary: each replica and its lag at every stage (write: network, flush: the replica's disk, replay: applying).",
          sql: sql`
            SELECT application_name, client_addr, state, sync_state, write_lag, flush_lag, replay_lag,
                   pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)) AS replay_behind
            FROM pg_stat_replication;`,
        },
        {
          what: 'On the replica: is replay paused, and how old is the last replayed transaction?',
          on: 'standby',
          sql: sql`
            SELECT pg_is_in_recovery() AS standby, pg_is_wal_replay_paused() AS replay_paused,
                   pg_last_wal_receive_lsn() AS received, pg_last_wal_replay_lsn() AS replayed,
                   now() - pg_last_xact_replay_timestamp() AS replay_delay;`,
        },
        {
          what: 'On the replica: queries cancelled for conflicting with replay (long queries there hold replay back up to max_standby_streaming_delay).',
          on: 'standby',
          sql: sql`
            SELECT datname, confl_snapshot, confl_lock, confl_bufferpin, confl_deadlock
            FROM pg_stat_database_conflicts;`,
        },
        {
          what: 'On the primary: how much WAL pg_wal holds now.',
          sql: sql`
            SELECT count(*) AS files, pg_size_pretty(sum(size)) AS size
            FROM pg_ls_waldir();`,
        },
      ],
      remediation: [
        'Watch pg_wal disk use on the primary while the replica catches up.',
        'If it cannot catch up (a replica slower than the write load), fix its I/O or rebuild it; do not fail over to it meanwhile.',
      ],
    },
    noData: NO_DATA.onlyWhereItExists,
    unit: 'bytes',
    comparator: '>=',
    levels: { warning: { threshold: GIB, for_s: 120 }, critical: { threshold: 10 * GIB, for_s: 120 } },
    instanceLabels: ['target', 'replica'],
    value: () => maxBy(['target', 'replica'], metric('pg_replication_lag_bytes', { kind: 'replay' })),
    fixtures: {
      kind: 'value',
      instance: REPLICA,
      epsilon: 1,
      inputs: (value) => [
        { metric: 'pg_replication_lag_bytes', labels: { ...REPLICA, kind: 'replay' }, value },
      ],
    },
  },
  {
    id: 'inactive_slot_retaining_wal',
    name: 'PgInactiveSlotRetainingWal',
    category: 'replication',
    component: 'postgresql',
    summary: 'Inactive replication slot {{label.slot_name}} on {{label.target}} retains {{value}}B of WAL',
    description:
      'No consumer is connected to slot {{label.slot_name}}, and it keeps {{value}}B of WAL from removal (threshold {{threshold}}B). pg_wal grows until the disk fills (or max_slot_wal_keep_size invalidates the slot).',
    runbook: {
      meaning:
        'A replication slot with no consumer keeps every WAL file since its restart point: pg_wal grows until the disk is full and the primary stops, unless max_slot_wal_keep_size invalidates the slot first.',
      checks: [
        {
          what: 'Slots, whether a consumer is connected, and the WAL each keeps.',
          sql: sql`
            SELECT slot_name, slot_type, plugin, database, active, active_pid, wal_status, safe_wal_size,
                   pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)) AS retained_wal
            FROM pg_replication_slots
            ORDER BY pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) DESC NULLS LAST;`,
        },
        {
          what: 'How much WAL pg_wal holds, and the safety limit.',
          sql: sql`
            SELECT (SELECT pg_size_pretty(sum(size)) FROM pg_ls_waldir()) AS pg_wal_size,
                   current_setting('max_slot_wal_keep_size') AS max_slot_wal_keep_size;`,
        },
      ],
      remediation: [
        'Find the consumer (a replica, a CDC tool, a logical subscription) and bring it back; it resumes from the slot.',
        "If it is gone for good, drop the slot (the consumer must then be rebuilt): `SELECT pg_drop_replication_slot('<slot_name>');`",
        "Cap the damage a forgotten slot can do: `ALTER SYSTEM SET max_slot_wal_keep_size = '50GB'; SELECT pg_reload_conf();`",
      ],
    },
    noData: NO_DATA.onlyWhileWrong,
    unit: 'bytes',
    comparator: '>=',
    levels: { warning: { threshold: GIB, for_s: 600 }, critical: { threshold: 10 * GIB, for_s: 600 } },
    instanceLabels: SLOT,
    value: () =>
      and(
        maxBy(SLOT, metric('pg_replication_slot_retained_wal_bytes')),
        filter(maxBy(SLOT, metric('pg_replication_slot_active')), '==', 0),
        SLOT,
      ),
    fixtures: {
      kind: 'value',
      instance: SLOT_FIXTURE,
      epsilon: 1,
      inputs: (value) => [
        { metric: 'pg_replication_slot_retained_wal_bytes', labels: SLOT_FIXTURE, value },
        {
          metric: 'pg_replication_slot_active',
          labels: { ...SLOT_FIXTURE, slot_type: 'physical' },
          value: 0,
        },
      ],
      quietCases: () => [
        {
          name: 'an active slot retaining much WAL',
          series: [
            { metric: 'pg_replication_slot_retained_wal_bytes', labels: SLOT_FIXTURE, value: 100 * GIB },
            {
              metric: 'pg_replication_slot_active',
              labels: { ...SLOT_FIXTURE, slot_type: 'physical' },
              value: 1,
            },
          ],
        },
      ],
    },
  },
];
