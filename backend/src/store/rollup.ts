import { Pool, PoolClient } from 'pg';
import { Logger } from 'pino';
import { DAY_MS, ensurePartitions, utcDay } from './partitions';
import { PeriodicJob } from '../lib/periodic-job';
import { inTransaction } from '../sql/transaction';
import { withClient } from './transaction';
import { ROLLUP_MS } from './types';
import { storeQuery } from './store-query';

const MINUTE_MS = ROLLUP_MS;
const INTERVAL_MS = MINUTE_MS;
/** Rolled up at most this much a transaction: catching up after a stop goes in steps. */
const CHUNK_MS = 3_600_000;
/**
 * A late batch changes the rates of the samples after it too (up to a slow loop's next sample).
 * The reader widens a pending span alike (pgg_rollup_stale_spans, sql/store/006): keep them equal.
 */
const REDO_AFTER_MS = 15 * MINUTE_MS;

export interface RollupRun {
  /** Minutes rolled up for the first time. */
  rolledMinutes: number;
  /** Minutes redone because late samples reached them. */
  redoneMinutes: number;
  /** Another backend sharing the store was rolling up: this run did nothing. */
  skipped: boolean;
}

interface Span {
  from: number;
  to: number;
}

const floorMinute = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/**
 * Late spans widened to whole minutes and the minutes whose rates they change, merged, cut at
 * `until` (later minutes are rolled up for the first time anyway).
 */
export function redoSpans(late: Span[], until: number): Span[] {
  const spans = late
    .map((s) => ({
      from: floorMinute(s.from),
      to: Math.min(until, floorMinute(s.to) + MINUTE_MS + REDO_AFTER_MS),
    }))
    .filter((s) => s.from < s.to)
    .sort((a, b) => a.from - b.from);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.from <= last.to) last.to = Math.max(last.to, span.to);
    else merged.push({ ...span });
  }
  return merged;
}

/**
 * The minute rollups (samples_1m, sql/store/004): at start and every minute, rolls up the minutes
 * that closed (a few minutes behind the store's clock, so that the writers' flushes are in:
 * rollup-state.sql) and redoes the minutes late batches reached. Several backends may share the
 * store: the one that locks rollup_state does the work, the others skip. Failures are logged and
 * retried at the next run; reads stay correct meanwhile (they take from samples what is not
 * rolled up).
 */
export class MinuteRollup extends PeriodicJob<RollupRun | undefined> {
  /** Store time of the newest rolled-up minute's end, for the lag gauge. */
  private doneUntil: number | undefined;

  /**
   * clock: a fixed "now" for the store's side (tests pinning the hour); by default the store's own
   * now(), which every backend sharing the store agrees on.
   */
  constructor(
    private readonly pool: Pool,
    private readonly log: Logger,
    intervalMs = INTERVAL_MS,
    private readonly clock?: () => number,
  ) {
    // One run resolves undefined if it failed (logged).
    super(() => this.rollUpClosedMinutes(), intervalMs);
  }

  /** Where the rollups end (ms), once known. */
  rolledUntil(): number | undefined {
    return this.doneUntil;
  }

  private async rollUpClosedMinutes(): Promise<RollupRun | undefined> {
    const result: RollupRun = { rolledMinutes: 0, redoneMinutes: 0, skipped: false };
    try {
      // Redo first (one transaction with taking the spans), then catch up chunk by chunk.
      for (let first = true; ; first = false) {
        const step = await withClient(this.pool, (client) =>
          inTransaction(client, () => this.step(client, first)),
        );
        if (step === 'skipped') {
          await this.readDoneUntil();
          return { ...result, skipped: true };
        }
        result.rolledMinutes += step.rolled;
        result.redoneMinutes += step.redone;
        if (step.caughtUp) break;
      }
      if (result.rolledMinutes + result.redoneMinutes > 0)
        this.log.debug({ ...result }, 'store minute rollups advanced');
      return result;
    } catch (error) {
      this.log.warn({ err: error }, 'store minute rollup failed; retrying at the next run');
      return undefined;
    }
  }

  private async step(
    client: PoolClient,
    redo: boolean,
  ): Promise<'skipped' | { rolled: number; redone: number; caughtUp: boolean }> {
    const now = this.clock ? new Date(this.clock()).toISOString() : null;
    const state = await client.query<{ done_until: Date | null; closed: Date; oldest: Date | null }>(
      storeQuery('rollup-state'),
      [now],
    );
    const row = state.rows[0];
    if (!row) return 'skipped';
    const closed = row.closed.getTime();
    const doneUntil = row.done_until?.getTime() ?? floorMinute(row.oldest?.getTime() ?? closed);
    let redone = 0;
    if (redo && row.done_until) {
      const late = await client.query<{ from_ts: Date; to_ts: Date }>(storeQuery('rollup-take-dirty'));
      const spans = redoSpans(
        late.rows.map((r) => ({ from: r.from_ts.getTime(), to: r.to_ts.getTime() })),
        doneUntil,
      );
      for (const span of spans) redone += await this.rollUp(client, span);
      // Readers that keep rolled-up buckets learn from this which of them changed.
      if (spans.length > 0)
        await client.query(storeQuery('rollup-record-redo'), [
          spans.map((s) => new Date(s.from).toISOString()),
          spans.map((s) => new Date(s.to).toISOString()),
        ]);
    }
    const until = Math.min(closed, doneUntil + CHUNK_MS);
    let rolled = 0;
    if (until > doneUntil) {
      rolled = await this.rollUp(client, { from: doneUntil, to: until });
      await client.query(storeQuery('rollup-advance'), [new Date(until).toISOString()]);
    }
    this.doneUntil = Math.max(doneUntil, until);
    return { rolled, redone, caughtUp: until >= closed };
  }

  /** Where another backend's job got to, so that this one's lag gauge follows it. */
  private async readDoneUntil(): Promise<void> {
    const { rows } = await this.pool.query<{ done_until: Date | null }>(storeQuery('rollup-done-until'));
    const until = rows[0]?.done_until?.getTime();
    if (until !== undefined) this.doneUntil = until;
  }

  /** Rolls up [from, to) (whole minutes); returns how many minutes that is. */
  private async rollUp(client: PoolClient, span: Span): Promise<number> {
    const days = new Set<string>();
    for (let day = span.from; day < span.to; day += DAY_MS) days.add(utcDay(day));
    days.add(utcDay(span.to - 1));
    await ensurePartitions(client, 'samples_1m', [...days]);
    await client.query(storeQuery('rollup-minutes'), [
      new Date(span.from).toISOString(),
      new Date(span.to).toISOString(),
    ]);
    return (span.to - span.from) / MINUTE_MS;
  }
}
