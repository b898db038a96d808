/**
 * Quoting for the remediation statements a finding shows, as PostgreSQL's quote_ident and
 * quote_literal do: whatever a name holds (quotes, semicolons, newlines), the statement names that
 * object and nothing else. PG Governor never runs these statements; a human copies them.
 */

/**
 * Keywords quote_ident quotes (reserved, type/function-name and column-name keywords). A longer
 * list only quotes more names: harmless.
 */
const KEYWORDS = new Set(
  `all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean
   both case cast char character check coalesce collate collation column concurrently constraint create
   cross current_catalog current_date current_role current_schema current_time current_timestamp
   current_user dec decimal default deferrable desc distinct do else end except exists extract false
   fetch float for foreign freeze from full grant greatest group grouping having ilike in initially
   inner inout int integer intersect interval into is isnull join json json_array json_arrayagg
   json_exists json_object json_objectagg json_query json_scalar json_serialize json_table json_value
   lateral leading least left like limit localtime localtimestamp merge_action national natural nchar
   none normalize not notnull null nullif numeric offset on only or order out outer overlaps overlay
   placing position precision primary real references returning right row select session_user setof
   similar smallint some substring symmetric system_user table tablesample then time timestamp to
   trailing treat trim true union unique user using values varchar variadic verbose when where window
   with xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot
   xmlserialize xmltable`.split(/\s+/),
);

const PLAIN = /^[a-z_][a-z0-9_$]*$/;

/** An identifier as SQL text: bare when that reads back as the same name, else double-quoted. */
export function quoteIdent(name: string): string {
  if (PLAIN.test(name) && !KEYWORDS.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** schema.name, each part quoted. */
export function qualified(schema: string | null | undefined, name: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name);
}

/** A string as a SQL literal: '...' with quotes doubled, E'...' when it holds a backslash. */
export function quoteLiteral(value: string): string {
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}
