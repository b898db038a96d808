import { deriveConnectionEncryption, EncryptionCountRow } from './derive';

const count = (overrides: Partial<EncryptionCountRow>): EncryptionCountRow => ({
  datname: 'app',
  tcp: true,
  ssl: false,
  gss_encrypted: false,
  connections: 1,
  ...overrides,
});

describe('deriveConnectionEncryption', () => {
  it('counts TLS on and off per database (0 included), and TCP without any encryption', () => {
    const result = deriveConnectionEncryption(
      [
        count({ connections: 3 }),
        count({ ssl: true, connections: 5 }),
        count({ tcp: false, connections: 2 }), // Unix socket: no TLS, but not over the network
        count({ gss_encrypted: true, connections: 4 }), // GSSAPI-encrypted: not in clear
        count({ datname: 'crm', ssl: true, connections: 1 }),
      ],
      [],
    );
    expect(result.samples).toEqual([
      { metric: 'pg_connections_ssl', labels: { datname: 'app', ssl: 'true' }, value: 5 },
      { metric: 'pg_connections_ssl', labels: { datname: 'app', ssl: 'false' }, value: 9 },
      { metric: 'pg_connections_ssl', labels: { datname: 'crm', ssl: 'true' }, value: 1 },
      { metric: 'pg_connections_ssl', labels: { datname: 'crm', ssl: 'false' }, value: 0 },
      { metric: 'pg_connections_unencrypted_tcp', labels: { datname: 'app' }, value: 3 },
      { metric: 'pg_connections_unencrypted_tcp', labels: { datname: 'crm' }, value: 0 },
    ]);
  });

  it('keeps users and addresses in the rows, never in the labels', () => {
    const result = deriveConnectionEncryption(
      [count({})],
      [
        {
          datname: 'app',
          usename: 'alice',
          application_name: 'billing',
          client_addr: '10.0.0.5',
          loopback: false,
          connections: 1,
          oldest_backend_start_ms: 1000,
          group_count: 1,
        },
      ],
    );
    expect(JSON.stringify(result.samples)).not.toMatch(/alice|10\.0\.0\.5/);
    expect(result.snapshots).toEqual([
      {
        kind: 'unencrypted_connections',
        rows: [
          {
            datname: 'app',
            usename: 'alice',
            application_name: 'billing',
            client_addr: '10.0.0.5',
            loopback: false,
            connections: 1,
            oldest_backend_start: 1000,
          },
        ],
      },
    ]);
  });
});
