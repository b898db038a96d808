/** PromQL words that are not metric names. */
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads, from its text alone (independent of the catalog's AST):
 * strings, label matchers, ranges and grouping clauses removed, then every identifier that is not a
 * function call or a keyword. Enough for the expressions the catalog renders.
 */
export function metricNamesOfPromQL(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*(\s*\()?/g)) {
    const [word, call] = [match[0].replace(/\s*\($/, ''), match[1]];
    if (call || KEYWORDS.has(word.toLowerCase())) continue;
    // Numbers in exponent form (1e+06) leave an "e" behind.
    if (/^e$/i.test(word) && /\d$/.test(stripped.slice(0, match.index))) continue;
    names.add(word);
  }
  return [...names];
}
