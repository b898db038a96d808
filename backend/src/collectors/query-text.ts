/**
 * Query texts leave the backend (API, snapshots in the store) only redacted by default: string,
 * dollar-quoted and numeric literals become `?`, the way pg_stat_statements normalises constants,
 * because literals are where passwords, e-mail addresses and card numbers live.
 */
const DOLLAR_QUOTED = /\$([A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?\$\1\$/g;
const STRING = /(?:[EeBbXxNn]|[Uu]&)?'(?:[^']|'')*'?/g;
const NUMBER = /(?<![\w$.])(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?![\w.])/g;

export function redactLiterals(sql: string): string {
  return sql.replace(DOLLAR_QUOTED, '?').replace(STRING, '?').replace(NUMBER, '?');
}

export function presentQuery(sql: string | null, redact: boolean): string | null {
  if (sql === null) return null;
  return redact ? redactLiterals(sql) : sql;
}
