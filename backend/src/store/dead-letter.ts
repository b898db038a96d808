import { Logger } from 'pino';
import { Counter } from 'prom-client';
import { sqlState } from '../db/pg-errors';
import { Queryable } from './queryable';
import { storableText } from './storable-json';
import { isTransientStoreError } from './transient-error';
import { storeQuery } from './store-query';

export type DeadLetterKind = 'samples' | 'snapshots' | 'events';

/** Longest row kept; a bigger one (a snapshot of thousands of sessions) is cut, and says so. */
const MAX_ROW_CHARS = 1_000_000;

/** PostgreSQL quotes the value it refused in its message: not for the log (data, maybe secrets). */
export const withoutLiterals = (message: string): string =>
  message.replace(/"[^"]*"/g, '"…"').replace(/'[^']*'/g, "'…'");

/**
 * Where the writer sets aside a row the store refused as data (dead_letter table): counted in
 * pgg_store_rejected_rows_total{kind}, logged with its SQLSTATE and the message without literals,
 * and kept with the full message for an operator. A row that cannot even be kept there is logged
 * as lost (by kind and SQLSTATE only); a store gone away is thrown, for the writer to retry.
 */
export class DeadLetter {
  constructor(
    private readonly log: Logger,
    private readonly rejectedRows?: Counter<'kind'>,
  ) {}

  async setAside(db: Queryable, kind: DeadLetterKind, rowJson: string, error: unknown): Promise<void> {
    const code = sqlState(error) ?? null;
    const message = storableText(error instanceof Error ? error.message : String(error));
    const row =
      rowJson.length > MAX_ROW_CHARS
        ? storableText(`${rowJson.slice(0, MAX_ROW_CHARS)}… (cut: ${rowJson.length} characters)`)
        : storableText(rowJson);
    try {
      await db.query(storeQuery('insert-dead-letter'), [kind, code, message, row]);
    } catch (deadLetterError) {
      // Not counted yet: the writer keeps the row and tries again.
      if (isTransientStoreError(deadLetterError)) throw deadLetterError;
      this.rejectedRows?.inc({ kind });
      this.log.error(
        { kind, code, deadLetterCode: sqlState(deadLetterError) },
        'history store refused a row and it could not be kept in dead_letter: lost',
      );
      return;
    }
    this.rejectedRows?.inc({ kind });
    this.log.error(
      { kind, code, reason: withoutLiterals(message) },
      'history store refused a row: set aside in dead_letter, the rest of its batch is written',
    );
  }
}
