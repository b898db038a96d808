/**
 * Parses a partition bound as pg_get_expr(relpartbound) prints it:
 *   FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')   FOR VALUES FROM (MINVALUE, 0) TO (10, MAXVALUE)
 *   FOR VALUES IN ('a', NULL)   FOR VALUES WITH (modulus 4, remainder 1)   DEFAULT
 * Values stay text (as the server printed them): turning them into numbers depends on the key's type
 * and the session's DateStyle/TimeZone, which only the server knows for sure.
 */
export type RangeDatum = { kind: 'minvalue' } | { kind: 'maxvalue' } | { kind: 'value'; text: string };

export type PartitionBound =
  | { kind: 'range'; from: RangeDatum[]; to: RangeDatum[] }
  | { kind: 'list' }
  | { kind: 'hash' }
  | { kind: 'default' };

/** A bound, or undefined when the text is not one the parser knows (never throws). */
export function parsePartitionBound(expression: string): PartitionBound | undefined {
  const text = expression.trim();
  if (/^DEFAULT$/i.test(text)) return { kind: 'default' };
  if (/^FOR VALUES IN\s*\(/i.test(text)) return { kind: 'list' };
  if (/^FOR VALUES WITH\s*\(/i.test(text)) return { kind: 'hash' };
  const range = /^FOR VALUES FROM\s*/i.exec(text);
  if (!range) return undefined;
  const reader = new Reader(text, range[0].length);
  const from = reader.datumList();
  if (!from || !reader.keyword('TO')) return undefined;
  const to = reader.datumList();
  if (!to || !reader.atEnd() || from.length !== to.length) return undefined;
  return { kind: 'range', from, to };
}

/** The value when a range bound has exactly one column (the keys we analyse), else undefined. */
export function singleColumnRange(
  bound: PartitionBound | undefined,
): { from: RangeDatum; to: RangeDatum } | undefined {
  if (bound?.kind !== 'range' || bound.from.length !== 1) return undefined;
  return { from: bound.from[0] as RangeDatum, to: bound.to[0] as RangeDatum };
}

/** A cursor over the bound text: lists of datums in parentheses, separated by commas. */
class Reader {
  constructor(
    private readonly text: string,
    private pos: number,
  ) {}

  atEnd(): boolean {
    this.skipSpace();
    return this.pos === this.text.length;
  }

  keyword(word: string): boolean {
    this.skipSpace();
    const next = this.text.slice(this.pos, this.pos + word.length);
    if (next.toUpperCase() !== word || /[A-Za-z0-9_]/.test(this.text[this.pos + word.length] ?? ''))
      return false;
    this.pos += word.length;
    return true;
  }

  datumList(): RangeDatum[] | undefined {
    if (!this.expect('(')) return undefined;
    const datums: RangeDatum[] = [];
    for (;;) {
      const datum = this.datum();
      if (!datum) return undefined;
      datums.push(datum);
      if (this.expect(',')) continue;
      return this.expect(')') ? datums : undefined;
    }
  }

  private datum(): RangeDatum | undefined {
    this.skipSpace();
    if (this.keyword('MINVALUE')) return { kind: 'minvalue' };
    if (this.keyword('MAXVALUE')) return { kind: 'maxvalue' };
    const quoted = this.quoted();
    const text = quoted ?? this.bare();
    if (text === undefined) return undefined;
    this.skipCast();
    return { kind: 'value', text };
  }

  /** 'it''s' or E'a\\b' (printed when standard_conforming_strings is off). */
  private quoted(): string | undefined {
    const start = this.pos;
    const escaped = /[Ee]/.test(this.text[this.pos] ?? '') && this.text[this.pos + 1] === "'";
    if (escaped) this.pos += 1;
    if (this.text[this.pos] !== "'") {
      this.pos = start;
      return undefined;
    }
    this.pos += 1;
    let value = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos] as string;
      if (ch === "'") {
        if (this.text[this.pos + 1] === "'") {
          value += "'";
          this.pos += 2;
          continue;
        }
        this.pos += 1;
        return value;
      }
      if (escaped && ch === '\\' && this.pos + 1 < this.text.length) {
        value += this.text[this.pos + 1];
        this.pos += 2;
        continue;
      }
      value += ch;
      this.pos += 1;
    }
    this.pos = start;
    return undefined; // unterminated
  }

  /** An unquoted constant: 10, -5, 1.5e3, true. */
  private bare(): string | undefined {
    const match = /^[+-]?(?:\d[\d.]*(?:[eE][+-]?\d+)?|\.\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(
      this.text.slice(this.pos),
    );
    if (!match) return undefined;
    this.pos += match[0].length;
    return match[0];
  }

  /** A `::type` decoration some server versions may print; the value is what matters. */
  private skipCast(): void {
    this.skipSpace();
    const match = /^::\s*(?:"[^"]*"|[A-Za-z_][A-Za-z0-9_ ]*)(?:\([^)]*\))?(?:\[\])?/.exec(
      this.text.slice(this.pos),
    );
    if (match) this.pos += match[0].length;
  }

  private expect(ch: string): boolean {
    this.skipSpace();
    if (this.text[this.pos] !== ch) return false;
    this.pos += 1;
    return true;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos += 1;
  }
}
