import { and, filter, maxBy, metric } from './ast';
import { AlertDefinition } from './types';
import { GIB, T } from './helpers';

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
    runbook: [
      'Is the replica receiving (network, wal_sender) or replaying slowly (I/O, a long query on the standby conflicting with replay, replay paused)?',
      'Compare write, flush and replay lag: write lag points at the network, replay lag at the standby.',
    ].join('\n'),
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
    runbook: [
      'Same checks as replication lag; a large byte lag with a small time lag means a burst of writes the replica is catching up with.',
      'Watch pg_wal disk use on the primary.',
    ].join('\n'),
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
    runbook: [
      'Is the consumer (replica, CDC tool, logical subscriber) coming back? If not, drop the slot: SELECT pg_drop_replication_slot(slot_name).',
      'Set max_slot_wal_keep_size so that a forgotten slot cannot fill the disk.',
    ].join('\n'),
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
