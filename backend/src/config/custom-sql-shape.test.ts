import { customSqlProblem } from './custom-sql-shape';

describe('customSqlProblem', () => {
  it.each([
    'SELECT status, count(*) AS count FROM tasks GROUP BY status',
    'select 1 AS one',
    'WITH q AS (SELECT 1 AS n) SELECT n FROM q',
    'TABLE queue_depth',
    'VALUES (1, 2)',
    '  -- leading comment\n/* block /* nested */ comment */ (SELECT 1 AS n)',
    "SELECT ';' AS semi, 'it''s $1' AS quoted, E'\\';' AS escaped",
    'SELECT $$ ; $1 $$ AS a, $tag$ ; $tag$ AS b',
    'SELECT 1 AS "weird;name"',
    'SELECT 1 AS n -- trailing comment, fine: the wrapper starts a new line',
    'SELECT a$b FROM t',
  ])('accepts %j', (sql) => {
    expect(customSqlProblem(sql)).toBeUndefined();
  });

  it.each([
    ['SELECT 1;', 'must not end with a semicolon (it is run as a subquery)'],
    ['SELECT 1; -- done', 'must not end with a semicolon (it is run as a subquery)'],
    ['SELECT 1; SELECT 2', 'must be a single statement (it holds a semicolon)'],
    [
      'DELETE FROM tasks',
      'must be a query starting with SELECT, WITH, TABLE, VALUES (it starts with DELETE)',
    ],
    [
      'EXPLAIN SELECT 1',
      'must be a query starting with SELECT, WITH, TABLE, VALUES (it starts with EXPLAIN)',
    ],
    [
      'SELECT * FROM t WHERE id = $1',
      'must not use bind parameters ($1, ...): the collector binds its own row cap',
    ],
    ["SELECT 'open", 'has an unterminated string literal'],
    ['SELECT "open', 'has an unterminated quoted identifier'],
    ['SELECT 1 /* open', 'has an unterminated /* comment'],
    ['SELECT $x$ open', 'has an unterminated $x$-quoted string'],
    ['  -- only a comment', 'is empty'],
  ])('refuses %j', (sql, problem) => {
    expect(customSqlProblem(sql)).toBe(problem);
  });
});
