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

/**
 * presentQuery for the rows of one snapshot: sessions of a pool mostly show the same few texts,
 * so each distinct text is redacted once (the map lives as long as the snapshot's derive).
 */
export function queryPresenter(redact: boolean): (sql: string | null) => string | null {
  if (!redact) return (sql) => sql;
  const seen = new Map<string, string>();
  return (sql) => {
    if (sql === null) return null;
    let redacted = seen.get(sql);
    if (redacted === undefined) seen.set(sql, (redacted = redactLiterals(sql)));
    return redacted;
  };
}
