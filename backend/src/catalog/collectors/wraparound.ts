import { CollectorDefinition } from '../types';
import { gauge } from '../define';

/** Hourly loop: transaction ID wraparound risk, per database and for the oldest tables of the connected one. */
export const wraparoundDefinition: CollectorDefinition = {
  name: 'wraparound',
  loop: 'hourly',
  description:
    'XID and multixact ID age per database against autovacuum_freeze_max_age and the 2^31 limit; oldest tables',
  queries: ['wraparound-databases', 'wraparound-tables'],
  metrics: [
    gauge(
      'pg_database_xid_age',
      'age(datfrozenxid): transactions since the oldest unfrozen XID of the database',
      'short',
      ['datname'],
    ),
    gauge(
      'pg_database_mxid_age',
      'mxid_age(datminmxid): multixact IDs since the oldest unfrozen multixact of the database',
      'short',
      ['datname'],
    ),
    gauge(
      'pg_database_xid_freeze_max_age_ratio',
      'XID age / autovacuum_freeze_max_age (1: anti-wraparound autovacuum due)',
      'percentunit',
      ['datname'],
    ),
    gauge(
      'pg_database_mxid_freeze_max_age_ratio',
      'Multixact age / autovacuum_multixact_freeze_max_age',
      'percentunit',
      ['datname'],
    ),
    gauge(
      'pg_database_xid_wraparound_ratio',
      'XID age / 2^31 (1: the server stops assigning XIDs)',
      'percentunit',
      ['datname'],
    ),
    gauge('pg_database_mxid_wraparound_ratio', 'Multixact age / 2^31', 'percentunit', ['datname']),
    gauge(
      'pg_table_xid_age_max',
      'XID age of the oldest table (TOAST included) in the connected database',
      'short',
      ['datname'],
    ),
  ],
  snapshots: [
    {
      kind: 'wraparound',
      description:
        'XID/multixact age per database (object = database) and the oldest tables of the connected database (object = table)',
      columns: [
        { name: 'object', type: 'string', description: 'database or table' },
        { name: 'datname', type: 'string' },
        { name: 'schemaname', type: 'string' },
        { name: 'relname', type: 'string' },
        { name: 'relkind', type: 'string', description: 'r: table, m: materialized view' },
        { name: 'is_temporary', type: 'boolean', description: 'autovacuum cannot freeze temporary tables' },
        { name: 'xid_age', type: 'number', description: 'table: the older of the table and its TOAST table' },
        { name: 'table_xid_age', type: 'number' },
        { name: 'toast_xid_age', type: 'number' },
        { name: 'mxid_age', type: 'number' },
        { name: 'xid_freeze_max_age_ratio', type: 'number', unit: 'percentunit' },
        { name: 'mxid_freeze_max_age_ratio', type: 'number', unit: 'percentunit' },
        { name: 'xid_wraparound_ratio', type: 'number', unit: 'percentunit' },
        { name: 'mxid_wraparound_ratio', type: 'number', unit: 'percentunit' },
        {
          name: 'size_bytes',
          type: 'number',
          unit: 'bytes',
          description: 'from relpages (as of the last VACUUM/ANALYZE)',
        },
        { name: 'last_vacuum', type: 'time', description: 'latest manual or auto vacuum' },
        { name: 'last_autovacuum', type: 'time' },
      ],
    },
  ],
};
