import { sqlFile } from '../sql/sql-file';

/** The part of a pg Client, PoolClient or Pool that the start-up checks use. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** The ways a role can write in a database, as reported by sql/target/write-capabilities.sql. */
export const WRITE_CAPABILITY_KINDS = [
  'superuser',
  'createrole',
  'createdb',
  'replication',
  'server_files',
  'write_all_data',
  'database_create',
  'schema_create',
  'table_write',
  'sequence_write',
  'ownership',
] as const;

export type WriteCapabilityKind = (typeof WRITE_CAPABILITY_KINDS)[number];

export interface WriteCapability {
  kind: WriteCapabilityKind;
  /** What the role can do and through what, naming the objects (up to 3 examples). */
  detail: string;
}

function isWriteCapabilityKind(value: unknown): value is WriteCapabilityKind {
  return (WRITE_CAPABILITY_KINDS as readonly unknown[]).includes(value);
}

/**
 * Every way the connected role could write (DDL or DML) in the connected database, counting the
 * roles it inherits from or can SET ROLE to. Empty means read-only, which is what the collectors
 * and the governor require of their role.
 */
export async function findWriteCapabilities(client: Queryable): Promise<WriteCapability[]> {
  const { rows } = await client.query(sqlFile('target/write-capabilities.sql'));
  return rows.map(({ kind, detail }) => {
    if (!isWriteCapabilityKind(kind) || typeof detail !== 'string') {
      throw new Error(`write-capabilities.sql returned an unexpected row (kind ${String(kind)})`);
    }
    return { kind, detail };
  });
}

/**
 * One paragraph for logs and /readyz: which role, what it can write, how to fix it. PG Governor
 * refuses a role that can write so that a bug or a bad query can never change a target's data.
 */
export function describeRefusal(role: string, caps: readonly WriteCapability[], database?: string): string {
  const where = database === undefined ? '' : ` in database "${database}"`;
  if (caps.length === 0) return `Role "${role}" cannot write${where}.`;
  return (
    `PG Governor will not use role "${role}" because it can write${where}, and monitoring and ` +
    `governing must run read-only: ${caps.map((cap) => cap.detail).join('; ')}. To fix it, connect ` +
    'with the roles that sql/roles/ creates (monitor-role.sql: pgg_monitor, member of pg_monitor only; ' +
    'governor-role.sql: pgg_governor, member of pg_signal_backend and pg_read_all_stats only; see ' +
    'sql/roles/README.md), or revoke the privileges listed from this role.'
  );
}
