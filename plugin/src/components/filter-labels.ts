import type { CatalogMetric, CatalogTable, VariableName } from '@pg-governor/contract';

/** The filters the editor offers, by label name, with the backend variable that lists their values. */
export const FILTERS: Array<{ name: string; label: string; variable?: VariableName; columns: string[] }> = [
  { name: 'datname', label: 'Database', variable: 'databases', columns: ['datname', 'database'] },
  { name: 'relname', label: 'Relation', variable: 'relations', columns: ['relname', 'relation'] },
  { name: 'queryid', label: 'Query id', variable: 'queryids', columns: ['queryid', 'query_id'] },
  {
    name: 'application',
    label: 'Application',
    variable: 'applications',
    columns: ['application', 'application_name'],
  },
  { name: 'usename', label: 'User', variable: 'users', columns: ['usename', 'user'] },
  { name: 'state', label: 'State', columns: ['state'] },
];

/** Filters that apply: the metric's labels, or the table's columns (by the backend's aliases). */
export function filtersFor(metric: CatalogMetric | undefined, table: CatalogTable | undefined) {
  if (metric) return FILTERS.filter((f) => metric.labels.includes(f.name));
  if (table) {
    const columns = table.columns.map((c) => c.name);
    return FILTERS.filter((f) => f.columns.some((c) => columns.includes(c)));
  }
  return [];
}
