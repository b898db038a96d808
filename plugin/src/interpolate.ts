import { ScopedVars } from '@grafana/data';
import { TemplateSrv, VariableInterpolation } from '@grafana/runtime';
import type { Filters } from '@pg-governor/contract';
import { PgGovernorQuery } from './types';

/**
 * Template variables as Grafana 12 hands them over. Its dashboards are scenes, whose interpolation
 * (what TemplateSrv.replace calls) gives a format function the value alone: a string, or a list
 * for a multi-value variable and for "All" (then every option the variable listed at its last
 * refresh), along with {name, type, multi, includeAll} but nothing saying "All" was chosen. A
 * custom all value goes into the text as it is, without the format function. The `queryparam`
 * format gives the variable's selection itself, `$__all` for "All".
 *
 * "All" means no filter here, whatever the number of options and whatever the custom all value:
 * the backend matches exact values and has no pattern for "any", and listing every option would
 * narrow the fleet to the variable's last refresh (and be refused past the API's bound on lists).
 */
const ALL_VALUE = '$__all';
const ALL_TEXT = 'All';

/** Stands for the i-th formatted value in the replaced text (private-use characters: no value has them). */
const MARK = '\uE000';
const MARKER = /^\uE000(\d+)\uE000$/;
const MARKERS = /\uE000(\d+)\uE000/g;

interface Formatted {
  values: string[];
  /** The variable gave a list: it may be "All", listed option by option. */
  list: boolean;
}

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
};

/**
 * Whether a variable's selection is "All": its queryparam form is `var-name=$__all`. A variable
 * kept out of the URL (skipUrlSync) has no queryparam form; its text then says "All".
 */
function selectsAll(templateSrv: TemplateSrv, name: string, scopedVars: ScopedVars): boolean {
  const params = templateSrv.replace(`\${${name}:queryparam}`, scopedVars);
  if (params === '') return templateSrv.replace(`\${${name}:text}`, scopedVars) === ALL_TEXT;
  return params.split('&').some((param) => decode(param.slice(param.indexOf('=') + 1)) === ALL_VALUE);
}

/** Every combination of the replaced text's literal parts and the values standing in its markers. */
function expand(replaced: string, formatted: Formatted[]): string[] {
  // split() with a capture group: literal text at even indexes, marker numbers at odd ones.
  const parts = replaced.split(MARKERS);
  let texts = [''];
  parts.forEach((part, i) => {
    if (i % 2 === 0) texts = texts.map((t) => t + part);
    else {
      const values = formatted[Number(part)]?.values ?? [];
      texts = texts.flatMap((t) => values.map((v) => t + v));
    }
  });
  return [...new Set(texts)];
}

/**
 * A field that may name a multi-value variable, as its list of values, each exactly as the
 * variable holds it (commas, quotes, spaces and empty strings included); undefined when a variable
 * in it is set to "All" (no filter). Text around a variable is kept on each of its values.
 */
export function interpolateList(
  templateSrv: TemplateSrv,
  text: string,
  scopedVars: ScopedVars,
): string[] | undefined {
  const formatted: Formatted[] = [];
  const interpolations: VariableInterpolation[] = [];
  const format = (value: unknown): string => {
    const list = Array.isArray(value);
    formatted.push({ values: list ? value.map(String) : [String(value ?? '')], list });
    return `${MARK}${formatted.length - 1}${MARK}`;
  };
  const replaced = templateSrv.replace(text, scopedVars, format, interpolations);
  for (const { variableName, value, found } of interpolations) {
    if (!found) continue;
    const index = MARKER.exec(value)?.[1];
    // Put in as it is, without the format function: a custom all value.
    if (index === undefined) {
      if (value !== '') return undefined;
      continue;
    }
    if (formatted[Number(index)]?.list && selectsAll(templateSrv, variableName, scopedVars)) return undefined;
  }
  if (formatted.some((f) => f.values.includes(ALL_VALUE))) return undefined;
  return expand(replaced, formatted);
}

/** A single-valued field: variables replaced, a multi-value one joined with commas. */
export function interpolateText(templateSrv: TemplateSrv, text: string, scopedVars: ScopedVars): string {
  return templateSrv.replace(text, scopedVars, 'csv');
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
    // Nothing selected in a multi-value variable: no filter either.
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
  // Names (of targets, labels, event kinds) are never empty: an empty value names none.
  const names = (text: string) => interpolateList(templateSrv, text, scopedVars)?.filter((n) => n !== '');
  if (query.target) {
    const targets = names(query.target);
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
  if (query.groupBy) out.groupBy = [...new Set(query.groupBy.flatMap((g) => names(g) ?? []))];
  if (query.filters) {
    const filters = interpolateFilters(templateSrv, query.filters, scopedVars);
    if (filters) out.filters = filters;
    else delete out.filters;
  }
  if (query.kinds) out.kinds = query.kinds.flatMap((k) => names(k) ?? []);
  return out;
}
