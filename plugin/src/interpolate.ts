import { ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';
import type { Filters } from '@pg-governor/contract';
import { PgGovernorQuery } from './types';

/** Joins the values of a multi-value variable; it never reaches the backend (split again below). */
const SEPARATOR = '\u001f';

/** Custom "All" values a dashboard may set; each means "no filter" (no target value looks like these). */
const WILDCARDS = new Set(['$__all', '*', '.*']);

interface LegacyVariable {
  current?: { value?: unknown };
}

const isAllSelected = (variable: unknown): boolean => {
  const value = (variable as LegacyVariable | undefined)?.current?.value;
  return value === '$__all' || (Array.isArray(value) && value.includes('$__all'));
};

/**
 * A field that may name a multi-value variable, as a list of values; undefined when a variable
 * in it is set to "All" (no filter: cheaper than listing every value, and the same rows). A multi-value variable
 * embedded in other text gives one value per variable value.
 */
export function interpolateList(
  templateSrv: TemplateSrv,
  text: string,
  scopedVars: ScopedVars,
): string[] | undefined {
  let all = false;
  const replaced = templateSrv.replace(text, scopedVars, (value: unknown, variable: unknown) => {
    if (isAllSelected(variable) || (typeof value === 'string' && WILDCARDS.has(value))) all = true;
    if (Array.isArray(value)) return value.map(String).join(SEPARATOR);
    return String(value ?? '');
  });
  if (all) return undefined;
  const values = replaced.split(SEPARATOR).filter((v) => v !== '');
  return [...new Set(values)];
}

/** A single-valued field: variables replaced, a multi-value one joined with commas. */
export function interpolateText(templateSrv: TemplateSrv, text: string, scopedVars: ScopedVars): string {
  return templateSrv.replace(text, scopedVars);
}

function interpolateFilters(
  templateSrv: TemplateSrv,
  filters: Filters,
  scopedVars: ScopedVars,
): Filters | undefined {
  const out: Filters = {};
  for (const [name, value] of Object.entries(filters)) {
    const texts = Array.isArray(value) ? value : [value];
    const lists = texts.map((t) => interpolateList(templateSrv, t, scopedVars));
    // "All" anywhere in the filter: the filter is dropped.
    if (lists.some((l) => l === undefined)) continue;
    const values = [...new Set(lists.flatMap((l) => l ?? []))];
    if (values.length === 0) continue;
    out[name] = values.length === 1 ? (values[0] as string) : values;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The query with every variable replaced; `targets` holds the targets when `target` names several. */
export function interpolateQuery(
  templateSrv: TemplateSrv,
  query: PgGovernorQuery,
  scopedVars: ScopedVars,
): PgGovernorQuery & { targets?: string[] } {
  const text = (value: string | undefined) =>
    value === undefined ? undefined : interpolateText(templateSrv, value, scopedVars);
  const out: PgGovernorQuery & { targets?: string[] } = { ...query };
  delete out.target;
  if (query.target) {
    const targets = interpolateList(templateSrv, query.target, scopedVars);
    if (targets && targets.length === 1) out.target = targets[0];
    else if (targets && targets.length > 1) out.targets = targets;
  }
  const single = ['metric', 'legendFormat', 'table', 'orderBy'] as const;
  for (const key of single) {
    const value = text(query[key]);
    if (value === undefined) delete out[key];
    else out[key] = value;
  }
  if (query.aggregation) out.aggregation = text(query.aggregation) as PgGovernorQuery['aggregation'];
  if (query.order) out.order = text(query.order) as PgGovernorQuery['order'];
  // asOf is left for the caller: '$__to' needs the request's range.
  if (query.groupBy)
    out.groupBy = [
      ...new Set(query.groupBy.flatMap((g) => interpolateList(templateSrv, g, scopedVars) ?? [])),
    ];
  if (query.filters) {
    const filters = interpolateFilters(templateSrv, query.filters, scopedVars);
    if (filters) out.filters = filters;
    else delete out.filters;
  }
  if (query.kinds) out.kinds = query.kinds.flatMap((k) => interpolateList(templateSrv, k, scopedVars) ?? []);
  return out;
}
