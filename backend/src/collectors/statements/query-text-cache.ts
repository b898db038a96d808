/**
 * Query texts by query id, least recently used first out. pg_stat_statements reads its whole
 * query-text file to return any text, so the collector reads texts only for ids it has not seen
 * and keeps them here, across cycles. Bounded: at most `capacity` texts of at most
 * query_text.max_length characters each. Ids of the current Top-N are touched every cycle, so they
 * are never the ones evicted (capacity must exceed 3 * top_n.statements).
 */
export class QueryTextCache {
  private readonly texts = new Map<string, string | null>();
  /** Statements run to fetch texts, and ids asked for in total: what the tests check. */
  fetches = 0;
  fetchedIds = 0;
  /** Fetches that failed (their ids are asked for again next cycle). */
  failures = 0;
  /** The ids the last fetch asked for. */
  lastRequested: string[] = [];

  constructor(readonly capacity = 5_000) {}

  get size(): number {
    return this.texts.size;
  }

  /** The text, or undefined when not cached; a hit makes the id the most recently used. */
  get(queryid: string): string | null | undefined {
    if (!this.texts.has(queryid)) return undefined;
    const text = this.texts.get(queryid) as string | null;
    this.texts.delete(queryid);
    this.texts.set(queryid, text);
    return text;
  }

  set(queryid: string, text: string | null): void {
    this.texts.delete(queryid);
    this.texts.set(queryid, text);
    while (this.texts.size > this.capacity) {
      const oldest = this.texts.keys().next().value as string;
      this.texts.delete(oldest);
    }
  }

  /** The distinct ids of the list that have no cached text, in first-seen order. */
  missing(queryids: Iterable<string>): string[] {
    const out = new Set<string>();
    for (const id of queryids) if (!this.texts.has(id)) out.add(id);
    return [...out];
  }

  /** Records one fetch of `requested` ids and caches what came back. */
  store(requested: string[], fetched: { queryid: string; query: string | null }[]): void {
    this.fetches += 1;
    this.fetchedIds += requested.length;
    this.lastRequested = requested;
    // An id asked for but not returned was evicted from pg_stat_statements in between: not cached,
    // so it is asked for again if it is still in the Top-N next cycle.
    for (const row of fetched) this.set(row.queryid, row.query);
  }
}
