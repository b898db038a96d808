import { FindingKind, runbookOf } from './types';

const GIB = 1024 ** 3;

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
  },
];
