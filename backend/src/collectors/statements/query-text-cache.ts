import { LruMap } from '../../lib/lru-map';

/**
 * Query texts by query id, least recently used first out. pg_stat_statements reads its whole
 * query-text file to return any text, so the collector reads texts only for ids it has not seen
 * and keeps them here, across cycles. Bounded: at most `capacity` texts of at most
 * query_text.max_length characters each. Ids of the current Top-N are touched every cycle, so they
 * are never the ones evicted (capacity must exceed 3 * top_n.statements).
 */
export class QueryTextCache {
  /** null: a text the role may not read (cached, so it is not asked for every cycle). */
  private readonly texts: LruMap<string, string | null>;

  constructor(readonly capacity = 5_000) {
    this.texts = new LruMap(capacity);
  }

  get size(): number {
    return this.texts.size;
  }

  /** The text, or undefined when not cached; a hit makes the id the most recently used. */
  get(queryid: string): string | null | undefined {
    return this.texts.get(queryid);
  }

  set(queryid: string, text: string | null): void {
    this.texts.set(queryid, text);
  }

  /** The distinct ids of the list that have no cached text, in first-seen order. */
  missing(queryids: Iterable<string>): string[] {
    const out = new Set<string>();
    for (const id of queryids) if (!this.texts.has(id)) out.add(id);
    return [...out];
  }

  /** Caches the texts one fetch brought back. */
  store(fetched: { queryid: string; query: string | null }[]): void {
    // An id asked for but not returned was evicted from pg_stat_statements in between: not cached,
    // so it is asked for again if it is still in the Top-N next cycle.
    for (const row of fetched) this.set(row.queryid, row.query);
  }
}
