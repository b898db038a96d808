import { badRequest } from '../errors';

/** Filter values as a list; an empty list (a multi-value variable with nothing selected) is no filter. */
export function filterValues(value: string | string[]): string[] {
  return Array.isArray(value) ? [...new Set(value)] : [value];
}

/** Targets named by `target`, `targets` and a `target` filter, deduplicated; undefined: every target. */
export function requestedTargets(query: {
  target?: string;
  targets?: string[];
  filters?: Record<string, string | string[]>;
}): string[] | undefined {
  const names = [
    ...(query.target !== undefined ? [query.target] : []),
    ...(query.targets ?? []),
    ...(query.filters?.target !== undefined ? filterValues(query.filters.target) : []),
  ];
  return names.length > 0 ? [...new Set(names)] : undefined;
}

/** Label filters of a time series query, each checked against the metric's labels. */
export function labelFilters(
  filters: Record<string, string | string[]> | undefined,
  labels: string[],
  metric: string,
  field: string,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(filters ?? {})) {
    if (name === 'target') continue;
    if (!labels.includes(name)) {
      throw badRequest(
        `${field}.${name}`,
        `metric ${metric} has no label ${name} (its labels: ${labels.length > 0 ? labels.join(', ') : 'none'})`,
      );
    }
    const values = filterValues(value);
    if (values.length > 0) out[name] = values;
  }
  return out;
}

/** Filter names that mean the same thing in different tables' column names. */
const COLUMN_ALIASES: Record<string, string[]> = {
  datname: ['datname', 'database'],
  database: ['datname', 'database'],
  relname: ['relname', 'relation'],
  relation: ['relname', 'relation'],
  queryid: ['queryid', 'query_id'],
  application: ['application_name', 'application'],
  user: ['usename', 'user'],
  usename: ['usename', 'user'],
};

export interface ColumnFilter {
  column: string;
  values: Set<string>;
}

/** Row filters of a table query: each filter name resolved to a column of the table. */
export function columnFilters(
  filters: Record<string, string | string[]> | undefined,
  columns: string[],
  table: string,
  field: string,
): ColumnFilter[] {
  const out: ColumnFilter[] = [];
  for (const [name, value] of Object.entries(filters ?? {})) {
    if (name === 'target') continue;
    // hasOwn: a filter named constructor or __proto__ is a name like any other.
    const aliases = Object.hasOwn(COLUMN_ALIASES, name) ? (COLUMN_ALIASES[name] as string[]) : [name];
    const column = aliases.find((c) => columns.includes(c));
    if (!column) throw badRequest(`${field}.${name}`, `table ${table} has no column ${name}`);
    const values = filterValues(value);
    if (values.length > 0) out.push({ column, values: new Set(values) });
  }
  return out;
}

/** Whether a row passes every filter (values compared as text: 42 matches "42"). */
export function rowMatches(row: Record<string, unknown>, filters: ColumnFilter[]): boolean {
  return filters.every((f) => {
    const cell = row[f.column];
    return cell !== null && cell !== undefined && f.values.has(String(cell));
  });
}
