import { sqlFile } from '../sql/sql-file';
import type { Queryable } from './privileges';
import { sqlState } from './pg-errors';

export interface PgStatStatementsStatus {
  usable: boolean;
  /** Why not, and what to do about it; absent when usable. */
  reason?: string;
}

/** SQLSTATEs the probe fails with, by cause. */
const UNDEFINED_FUNCTION = '42883';
const UNDEFINED_TABLE = '42P01';
const OBJECT_NOT_IN_PREREQUISITE_STATE = '55000';
const INSUFFICIENT_PRIVILEGE = '42501';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A reason a DBA can act on, for a probe error that the server raised (it has a SQLSTATE). */
export function pgStatStatementsUnusableReason(error: unknown, database: string): string {
  const message = messageOf(error);
  switch (sqlState(error)) {
    case UNDEFINED_TABLE:
    case UNDEFINED_FUNCTION:
      return (
        `the pg_stat_statements extension is not created in database "${database}" (or its schema is ` +
        'not on the search_path): run CREATE EXTENSION pg_stat_statements in that database'
      );
    case OBJECT_NOT_IN_PREREQUISITE_STATE:
      if (message.includes('shared_preload_libraries')) {
        return 'pg_stat_statements is not loaded: add it to shared_preload_libraries and restart the server';
      }
      break;
    case INSUFFICIENT_PRIVILEGE:
      return (
        `permission denied on pg_stat_statements (${message}): the role needs EXECUTE on the ` +
        "extension's functions, which the extension grants to PUBLIC unless revoked"
      );
  }
  return `pg_stat_statements cannot be read: ${message}`;
}

/**
 * Whether this session can read pg_stat_statements in its database. Run it outside a transaction:
 * it is one statement, so its failure leaves the client usable. Errors without a SQLSTATE (the
 * connection broke) are not a verdict on pg_stat_statements and are thrown.
 */
export async function probePgStatStatements(
  client: Queryable,
  database: string,
): Promise<PgStatStatementsStatus> {
  try {
    await client.query(sqlFile('target/pg-stat-statements-probe.sql'));
    return { usable: true };
  } catch (error) {
    if (sqlState(error) === undefined) throw error;
    return { usable: false, reason: pgStatStatementsUnusableReason(error, database) };
  }
}
