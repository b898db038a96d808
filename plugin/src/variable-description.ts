import { PgGovernorVariableQuery } from './types';

/**
 * What a variable query lists, in words: "targets", "databases of $target", "relations of
 * $database on $target matching "pg_"". Grafana shows a custom editor's `query.query` as the
 * variable's definition (in the dashboard's list of variables).
 */
export function describeVariableQuery({
  variable,
  target,
  database,
  search,
}: PgGovernorVariableQuery): string {
  const of = database ? ` of ${database}${target ? ` on ${target}` : ''}` : target ? ` of ${target}` : '';
  return `${variable}${of}${search ? ` matching "${search}"` : ''}`;
}
