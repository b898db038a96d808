import { LruMap } from './lru-map';

/**
 * Equal rows held once: intern() returns the row seen first with the same fields and values, so
 * that a table most targets report alike (their settings) is kept once for all of them. Rows are
 * compared by their JSON, fields in order. Rows handed out are shared: nobody may change them.
 * Bounded, the least recently used forgotten first (forgetting costs only sharing).
 */
export class RowInterner<Row extends object> {
  private readonly rows: LruMap<string, Row>;

  constructor(capacity: number) {
    this.rows = new LruMap(capacity);
  }

  get size(): number {
    return this.rows.size;
  }

  intern(row: Row): Row {
    const key = JSON.stringify(row);
    const known = this.rows.get(key);
    if (known !== undefined) return known;
    this.rows.set(key, row);
    return row;
  }
}
