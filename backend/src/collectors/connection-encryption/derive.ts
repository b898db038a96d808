import { CollectResult, Sample, SnapshotRow } from '../types';

/** A row of sql/collectors/connection-encryption.pg*.sql. */
export interface EncryptionCountRow {
  datname: string;
  tcp: boolean;
  ssl: boolean;
  gss_encrypted: boolean;
  connections: number;
  [key: string]: unknown;
}

/** A row of sql/collectors/unencrypted-connections.pg*.sql. */
export interface UnencryptedGroupRow {
  datname: string;
  usename: string | null;
  application_name: string | null;
  client_addr: string;
  loopback: boolean;
  connections: number;
  oldest_backend_start_ms: number;
  group_count: number;
  [key: string]: unknown;
}

/** Over TCP and encrypted by neither TLS nor GSSAPI: what unencrypted-connections.pg*.sql lists. */
export const unencryptedTcp = (r: EncryptionCountRow): boolean => r.tcp && !r.ssl && !r.gss_encrypted;

/**
 * Per database: client backends with and without TLS (both published, 0 included, so that a change
 * shows), and the TCP ones encrypted by neither TLS nor GSSAPI; the groups of those as rows.
 */
export function deriveConnectionEncryption(
  counts: EncryptionCountRow[],
  unencrypted: UnencryptedGroupRow[],
): CollectResult {
  const ssl = new Map<string, { on: number; off: number }>();
  const clearTcp = new Map<string, number>();
  for (const r of counts) {
    const entry = ssl.get(r.datname) ?? { on: 0, off: 0 };
    if (r.ssl) entry.on += r.connections;
    else entry.off += r.connections;
    ssl.set(r.datname, entry);
    const clear = unencryptedTcp(r) ? r.connections : 0;
    clearTcp.set(r.datname, (clearTcp.get(r.datname) ?? 0) + clear);
  }
  const samples: Sample[] = [];
  for (const [datname, { on, off }] of ssl)
    samples.push(
      { metric: 'pg_connections_ssl', labels: { datname, ssl: 'true' }, value: on },
      { metric: 'pg_connections_ssl', labels: { datname, ssl: 'false' }, value: off },
    );
  for (const [datname, value] of clearTcp)
    samples.push({ metric: 'pg_connections_unencrypted_tcp', labels: { datname }, value });
  const rows = unencrypted.map((r): SnapshotRow => ({
    datname: r.datname,
    usename: r.usename,
    application_name: r.application_name,
    client_addr: r.client_addr,
    loopback: r.loopback,
    connections: r.connections,
    oldest_backend_start: r.oldest_backend_start_ms,
  }));
  return { samples, snapshots: [{ kind: 'unencrypted_connections', rows }] };
}
