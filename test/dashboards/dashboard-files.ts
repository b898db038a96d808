import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The shipped dashboard files, parsed, and the walks the tests make over them. */

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export type Json = Record<string, unknown>;

export interface DashboardFile {
  /** Relative to the repository root. */
  file: string;
  form: 'importable' | 'provisioned';
  json: Json;
}

export interface Panel extends Json {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: { type: string; uid: string };
  targets?: Json[];
  links?: { title: string; url: string }[];
  panels?: Panel[];
}

function load(dir: string, form: DashboardFile['form']): DashboardFile[] {
  return readdirSync(path.join(REPO_ROOT, dir))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = `${dir}/${name}`;
      return { file, form, json: JSON.parse(readFileSync(path.join(REPO_ROOT, file), 'utf8')) as Json };
    });
}

export const importable = (): DashboardFile[] => load('dashboards', 'importable');
export const provisioned = (): DashboardFile[] => load('provisioning/dashboards', 'provisioned');

/** Every panel, those inside rows too. */
export function panelsOf(dashboard: Json): Panel[] {
  const top = (dashboard.panels ?? []) as Panel[];
  return top.flatMap((p) => [p, ...(p.panels ?? [])]);
}

export interface TemplateVariable extends Json {
  name: string;
  type: string;
  query: unknown;
  multi?: boolean;
  includeAll?: boolean;
  datasource?: { type: string; uid: string };
}

export const variablesOf = (dashboard: Json): TemplateVariable[] =>
  ((dashboard.templating as { list?: TemplateVariable[] } | undefined)?.list ?? []) as TemplateVariable[];

export interface AnnotationQuery extends Json {
  name: string;
  builtIn?: number;
  datasource: { type: string; uid: string };
  target?: Json;
}

export const annotationsOf = (dashboard: Json): AnnotationQuery[] =>
  ((dashboard.annotations as { list?: AnnotationQuery[] } | undefined)?.list ?? []) as AnnotationQuery[];

/**
 * Grafana's interpolation of a query for our data source: a string that is exactly a variable
 * reference becomes its value (a list for a multi-value variable); the data source reference
 * becomes the data source's uid.
 */
export function interpolate(value: unknown, variables: Record<string, string | string[]>): unknown {
  if (typeof value === 'string') {
    const name = /^\$\{?(\w+)\}?$/.exec(value)?.[1];
    return name !== undefined && name in variables ? variables[name] : value;
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, variables));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, variables)]));
  return value;
}

/** Variable references left in a value after interpolation (none may be). */
export function leftoverVariables(value: unknown): string[] {
  return [...JSON.stringify(value).matchAll(/\$\{?\w+\}?/g)].map((m) => m[0]);
}
