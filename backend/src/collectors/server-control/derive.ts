import { Sample } from '../types';

/** The row of sql/collectors/server-control.pg*.sql. */
export interface ServerControlRow {
  checkpoint_ms: number | null;
  system_identifier: string;
  started_ms: number;
  server_now_ms: number;
  wal_files: number;
  wal_bytes: number;
  [key: string]: unknown;
}

/** What a cycle remembers: the identifier seen and the changes counted. */
export interface ServerControlMemory {
  systemIdentifier?: string;
  identifierChanges: number;
}

/**
 * The row as metrics. Clock skew is the server's clock against the midpoint of the query as PG
 * Governor timed it (sentAt..receivedAt): exact to half the round trip.
 */
export function deriveServerControl(
  row: ServerControlRow,
  memory: ServerControlMemory,
  timing: { sentAt: number; receivedAt: number },
): Sample[] {
  if (memory.systemIdentifier !== undefined && memory.systemIdentifier !== row.system_identifier)
    memory.identifierChanges += 1;
  memory.systemIdentifier = row.system_identifier;
  const samples: Sample[] = [
    { metric: 'pg_postmaster_start_time_seconds', labels: {}, value: row.started_ms / 1000 },
    {
      metric: 'pg_clock_skew_seconds',
      labels: {},
      value: (row.server_now_ms - (timing.sentAt + timing.receivedAt) / 2) / 1000,
    },
    { metric: 'pg_wal_directory_bytes', labels: {}, value: row.wal_bytes },
    { metric: 'pg_wal_directory_files', labels: {}, value: row.wal_files },
    { metric: 'pg_system_identifier_changes_total', labels: {}, value: memory.identifierChanges },
  ];
  if (row.checkpoint_ms !== null)
    samples.push({
      metric: 'pg_checkpoint_age_seconds',
      labels: {},
      value: Math.max(0, (row.server_now_ms - row.checkpoint_ms) / 1000),
    });
  return samples;
}
