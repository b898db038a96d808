/**
 * The shape a custom metric's SQL must have for the collector to wrap it as a subquery,
 * `SELECT * FROM (<sql>) LIMIT $1`, and cap its rows (collectors/custom/row-cap.ts): one
 * statement, no semicolon, no bind parameters of its own, starting with SELECT, WITH, TABLE or
 * VALUES. Checked when the configuration loads, with a lexer that knows PostgreSQL's quoting and
 * comments, so that a semicolon or `$1` inside a string literal is not mistaken for one outside.
 */

const STARTS = ['SELECT', 'WITH', 'TABLE', 'VALUES'];
const IDENTIFIER_START = /[A-Za-z_\u0080-\uffff]/;
const IDENTIFIER_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/** What is wrong with the SQL, or undefined when the collector can run it. */
export function customSqlProblem(sql: string): string | undefined {
  let firstWord: string | undefined;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    if (/\s/.test(c) || c === '(' || c === ')' || c === ',') {
      i += 1;
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && next === '*') {
      const end = blockCommentEnd(sql, i);
      if (end < 0) return 'has an unterminated /* comment';
      i = end;
    } else if (c === "'") {
      const escapes = /[eE]/.test(sql[i - 1] ?? '') && !IDENTIFIER_PART.test(sql[i - 2] ?? '');
      const end = quotedEnd(sql, i, "'", escapes);
      if (end < 0) return 'has an unterminated string literal';
      i = end;
    } else if (c === '"') {
      const end = quotedEnd(sql, i, '"', false);
      if (end < 0) return 'has an unterminated quoted identifier';
      i = end;
    } else if (c === '$') {
      if (/[0-9]/.test(next ?? ''))
        return 'must not use bind parameters ($1, ...): the collector binds its own row cap';
      const tag = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i))?.[0];
      if (!tag) {
        i += 1;
        continue;
      }
      const end = sql.indexOf(tag, i + tag.length);
      if (end < 0) return `has an unterminated ${tag}-quoted string`;
      i = end + tag.length;
    } else if (c === ';') {
      return onlyComments(sql.slice(i + 1))
        ? 'must not end with a semicolon (it is run as a subquery)'
        : 'must be a single statement (it holds a semicolon)';
    } else if (IDENTIFIER_START.test(c)) {
      let end = i + 1;
      while (end < n && IDENTIFIER_PART.test(sql[end] as string)) end += 1;
      firstWord ??= sql.slice(i, end).toUpperCase();
      i = end;
    } else {
      firstWord ??= c;
      i += 1;
    }
  }
  if (firstWord === undefined) return 'is empty';
  if (!STARTS.includes(firstWord))
    return `must be a query starting with ${STARTS.join(', ')} (it starts with ${firstWord})`;
  return undefined;
}

/** Index after a /* comment starting at i (PostgreSQL nests them), or -1. */
function blockCommentEnd(sql: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < sql.length) {
    if (sql.startsWith('/*', j)) {
      depth += 1;
      j += 2;
    } else if (sql.startsWith('*/', j)) {
      depth -= 1;
      j += 2;
      if (depth === 0) return j;
    } else j += 1;
  }
  return -1;
}

/** Index after a quoted string or identifier starting at i (quote doubled inside; backslash escapes in E''), or -1. */
function quotedEnd(sql: string, i: number, quote: string, backslashEscapes: boolean): number {
  let j = i + 1;
  while (j < sql.length) {
    const c = sql[j];
    if (backslashEscapes && c === '\\') j += 2;
    else if (c === quote && sql[j + 1] === quote) j += 2;
    else if (c === quote) return j + 1;
    else j += 1;
  }
  return -1;
}

/** Whitespace and comments only (what may follow a trailing semicolon). */
function onlyComments(rest: string): boolean {
  return rest.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '').trim() === '';
}
