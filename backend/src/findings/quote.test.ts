import { qualified, quoteIdent, quoteLiteral } from './quote';

describe('quoteIdent', () => {
  it('leaves plain lower-case names bare', () => {
    expect(quoteIdent('orders')).toBe('orders');
    expect(quoteIdent('order_items_2024')).toBe('order_items_2024');
  });

  it('quotes keywords, capitals, spaces and anything else', () => {
    expect(quoteIdent('user')).toBe('"user"');
    expect(quoteIdent('Orders')).toBe('"Orders"');
    expect(quoteIdent('my table')).toBe('"my table"');
    expect(quoteIdent('1st')).toBe('"1st"');
    expect(quoteIdent('')).toBe('""');
  });

  it('makes a table named `"a; drop table x"` one harmless identifier', () => {
    const name = '"a; drop table x"';
    const quoted = quoteIdent(name);
    expect(quoted).toBe('"""a; drop table x"""');
    // The statement names exactly that table: the quotes inside are doubled, nothing escapes.
    const statement = `VACUUM (VERBOSE) ${qualified('public', name)};`;
    expect(statement).toBe('VACUUM (VERBOSE) public."""a; drop table x""";');
    expect(unquote(quoted)).toBe(name);
  });

  it('round-trips any name', () => {
    for (const name of ['a"b', '"', '""', 'a;b', "it's", 'tab\tname', 'new\nline', 'é', 'select'])
      expect(unquote(quoteIdent(name))).toBe(name);
  });
});

describe('quoteLiteral', () => {
  it('doubles quotes, and uses E-strings for backslashes', () => {
    expect(quoteLiteral('gid-1')).toBe("'gid-1'");
    expect(quoteLiteral("x'; ROLLBACK PREPARED 'y")).toBe("'x''; ROLLBACK PREPARED ''y'");
    expect(quoteLiteral('a\\b')).toBe("E'a\\\\b'");
  });
});

/** How PostgreSQL reads a quoted identifier back (the test's own reading, not the code's). */
function unquote(text: string): string {
  if (!text.startsWith('"')) return text;
  expect(text.endsWith('"')).toBe(true);
  const inner = text.slice(1, -1);
  // Every quote inside must be doubled: no lone quote may end the identifier early.
  expect(inner.replace(/""/g, '')).not.toContain('"');
  return inner.replace(/""/g, '"');
}
