/**
 * The SQL as run: a subquery capped at $1 rows (the cap + 1, to tell that rows were dropped). The
 * configuration loader has checked that the SQL fits (config/custom-sql-shape.ts).
 */
export function wrapWithRowCap(sql: string): string {
  // Newlines: a `--` comment on the user's last line must not swallow the closing parenthesis.
  return `SELECT * FROM (\n${sql}\n) AS custom_metric LIMIT $1`;
}
