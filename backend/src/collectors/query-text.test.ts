import { queryPresenter, redactLiterals } from './query-text';

describe('redactLiterals', () => {
  it.each([
    [
      "SELECT * FROM users WHERE email = 'a@b.c' AND id = 42",
      'SELECT * FROM users WHERE email = ? AND id = ?',
    ],
    ["UPDATE t SET note = 'it''s' WHERE x > 3.5e2", 'UPDATE t SET note = ? WHERE x > ?'],
    ["SELECT E'\\\\x', $$secret$$, $tag$also secret$tag$", 'SELECT ?, ?, ?'],
    ['SELECT * FROM t1 WHERE c2 = $1 LIMIT 10', 'SELECT * FROM t1 WHERE c2 = $1 LIMIT ?'],
    ["ALTER ROLE x PASSWORD 'hunter2'", 'ALTER ROLE x PASSWORD ?'],
    ["SELECT 'unterminated", 'SELECT ?'],
  ])('%s', (input, expected) => {
    expect(redactLiterals(input)).toBe(expected);
  });

  it('keeps identifiers with digits and schema-qualified names', () => {
    expect(redactLiterals('SELECT a1.col_2 FROM s3.t4 a1')).toBe('SELECT a1.col_2 FROM s3.t4 a1');
  });
});

describe('queryPresenter', () => {
  it('redacts each text as redactLiterals does, the same text twice to the same result', () => {
    const present = queryPresenter(true);
    const text = "SELECT * FROM t WHERE id = 42 AND name = 'x'";
    expect(present(text)).toBe(redactLiterals(text));
    expect(present(text)).toBe('SELECT * FROM t WHERE id = ? AND name = ?');
    expect(present('SELECT 1')).toBe('SELECT ?');
    expect(present(null)).toBeNull();
  });

  it('passes texts through when redaction is off', () => {
    expect(queryPresenter(false)("SELECT 'x'")).toBe("SELECT 'x'");
    expect(queryPresenter(false)(null)).toBeNull();
  });
});
