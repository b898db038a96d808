import { CollectorDefinition } from '../types';
import { gauge } from '../define';

/** What can hold the transaction horizon back, as the xmin_horizon rows and metric labels name it. */
export const XMIN_HOLDER_KINDS = [
  'session',
  'prepared_transaction',
  'replication_slot',
  'replication_slot_catalog',
  'standby_feedback',
] as const;
export type XminHolderKind = (typeof XMIN_HOLDER_KINDS)[number];

/** Holder kinds whose start is known, so that their age in time is too. */
export const TIMED_XMIN_HOLDER_KINDS: readonly XminHolderKind[] = ['session', 'prepared_transaction'];

/**
 * Workload loop, every server: what holds the oldest xmin back (the horizon below which VACUUM
 * removes and freezes nothing) and how far, per kind of holder, with the holders named.
 */
export const xminHorizonDefinition: CollectorDefinition = {
  name: 'xmin_horizon',
  loop: 'workload',
  description:
    'Transaction horizon: the oldest session snapshots and transaction IDs, prepared transactions, replication slots (xmin and catalog_xmin) and standbys feeding back their xmin, with their age in transactions and (sessions, prepared transactions) in time',
  queries: ['xmin-horizon'],
  metrics: [
    gauge(
      'pg_xmin_horizon_age_transactions',
      'age(xmin) of the oldest holder of each kind (session, prepared_transaction, replication_slot, replication_slot_catalog, standby_feedback); 0 when none',
      'short',
      ['holder_kind'],
    ),
    gauge(
      'pg_xmin_horizon_age_seconds',
      'Time since the oldest session transaction or prepared transaction holding an xmin started (holder_kind session or prepared_transaction); 0 when none',
      's',
      ['holder_kind'],
    ),
  ],
  snapshots: [
    {
      kind: 'xmin_horizon',
      description:
        'What holds the transaction horizon back: the oldest holders of each kind with their age (vacuum cannot remove rows deleted after it)',
      columns: [
        {
          name: 'holder_kind',
          type: 'string',
          description:
            'session, prepared_transaction, replication_slot, replication_slot_catalog (logical slot: system catalogs only) or standby_feedback',
        },
        {
          name: 'holder',
          type: 'string',
          description: 'session: pid; prepared_transaction: gid; slot: slot name; standby: application_name',
        },
        { name: 'pid', type: 'number', description: 'session, WAL sender of a slot or standby' },
        { name: 'usename', type: 'string', description: 'prepared transaction: its owner' },
        { name: 'application_name', type: 'string', description: 'slot: the standby streaming through it' },
        { name: 'client_addr', type: 'string' },
        { name: 'datname', type: 'string' },
        { name: 'state', type: 'string', description: 'session state or WAL sender state' },
        { name: 'backend_type', type: 'string' },
        { name: 'backend_start_us', type: 'string', description: 'session: identifies the backend with pid' },
        { name: 'slot_type', type: 'string' },
        { name: 'active', type: 'boolean', description: 'slot: a consumer is connected' },
        { name: 'xmin', type: 'string', description: 'the transaction ID held' },
        { name: 'age_transactions', type: 'number', description: 'age(xmin): transactions since' },
        {
          name: 'age_seconds',
          type: 'number',
          unit: 's',
          description: 'session: since its transaction started; prepared: since PREPARE',
        },
        { name: 'since', type: 'time', description: 'session: transaction start; prepared: when prepared' },
      ],
    },
  ],
};
