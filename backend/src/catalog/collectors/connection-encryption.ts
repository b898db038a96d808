import { CollectorDefinition } from '../types';
import { gauge } from '../define';

/**
 * Workload loop: whether client connections are encrypted (pg_stat_ssl, pg_stat_gssapi). Not on the
 * hot loop: a connection's encryption is settled when it starts, so a minute's resolution tells
 * all, and the hot loop's one pg_stat_activity read per cycle stays as cheap as it is. User names
 * and addresses reach the snapshot (evidence), never the metric labels.
 */
export const connectionEncryptionDefinition: CollectorDefinition = {
  name: 'connection_encryption',
  loop: 'workload',
  description:
    'Client connections by database and TLS on/off, and the TCP connections encrypted by neither TLS nor GSSAPI (by database, user, application and client address)',
  queries: ['connection-encryption', 'unencrypted-connections'],
  metrics: [
    gauge(
      'pg_connections_ssl',
      'Client backends by database and whether they use TLS (ssl true/false)',
      'short',
      ['datname', 'ssl'],
    ),
    gauge(
      'pg_connections_unencrypted_tcp',
      'Client backends connected over TCP (a client address, the loopback included) encrypted by neither TLS nor GSSAPI, by database',
      'short',
      ['datname'],
    ),
  ],
  snapshots: [
    {
      kind: 'unencrypted_connections',
      description:
        'Client connections over TCP without TLS or GSSAPI encryption, grouped by database, user, application and address; most connections first',
      columns: [
        { name: 'datname', type: 'string' },
        { name: 'usename', type: 'string' },
        { name: 'application_name', type: 'string' },
        { name: 'client_addr', type: 'string' },
        { name: 'loopback', type: 'boolean', description: 'from the same host (127.0.0.0/8, ::1)' },
        { name: 'connections', type: 'number' },
        { name: 'oldest_backend_start', type: 'time' },
      ],
    },
  ],
};
