import { ImportGraph } from './import-graph';

/**
 * The layers of backend/src as ../shared/ARCHITECTURE.md draws them, bottom (0) to top, by top-level
 * folder or file: an import may only point down, or stay inside its own folder.
 */
export const LAYERS: Readonly<Record<string, number>> = {
  lib: 0,
  sql: 0,
  'version.ts': 0,
  contract: 1,
  config: 2,
  catalog: 3,
  db: 4,
  embedded: 4,
  collectors: 5,
  scheduler: 6,
  store: 7,
  governor: 8,
  findings: 8,
  alerts: 8,
  metrics: 8,
  api: 9,
  lifecycle: 9,
  demo: 9,
  'app.ts': 10,
  'main.ts': 11,
};

/** Folders that may import nothing in backend/src but these (lib knows no PostgreSQL, no config). */
const ONLY_FROM: Readonly<Record<string, readonly string[]>> = { lib: ['lib'], contract: ['lib'] };

/** The consumers of observations: each decides on its own and never reaches into another. */
const CONSUMERS = new Set(['governor', 'findings', 'alerts', 'metrics']);

/** Build-time code (the generators and their CLIs): may read the runtime, never imported by it. */
const BUILD_TIME = /^(generate|dashboards|alerts\/generate|alerts\/cli)(\/|$)/;

/** Test helpers (testing/ folders, *.test.ts) are no layer's code. */
export function isRuntimeOrBuildFile(file: string): boolean {
  return !file.endsWith('.test.ts') && !/(^|\/)testing\//.test(file);
}

const top = (file: string) => file.split('/')[0] as string;

/** What is wrong with one import of the service's code, if anything. */
function importProblem(from: string, to: string): string | undefined {
  if (to.startsWith('../')) return undefined; // outside backend/src (package.json, sql/ files)
  const [source, target] = [top(from), top(to)];
  if (BUILD_TIME.test(to)) return `${from} -> ${to}: the service imports build-time code`;
  if (source === target) return undefined;
  const only = ONLY_FROM[source];
  if (only && !only.includes(target))
    return `${from} -> ${to}: ${source}/ imports nothing but ${only.join(', ')}/`;
  const [a, b] = [LAYERS[source], LAYERS[target]];
  if (b === undefined) return `${from} -> ${to}: ${target} is in no layer`;
  if ((a as number) < b)
    return `${from} -> ${to}: ${source} (layer ${a}) imports from ${target} (layer ${b})`;
  if (CONSUMERS.has(source) && CONSUMERS.has(target))
    return `${from} -> ${to}: ${source} reaches into ${target} (consumers stay apart)`;
  return undefined;
}

/** Every import of the service's code against the layers, and every file placed in none. */
export function layerViolations(graph: ImportGraph): string[] {
  const problems: string[] = [];
  for (const [from, targets] of graph) {
    if (BUILD_TIME.test(from)) continue;
    if (LAYERS[top(from)] === undefined) {
      problems.push(`${from}: in no layer (add its folder to LAYERS, as ARCHITECTURE.md places it)`);
      continue;
    }
    for (const to of targets) {
      const problem = importProblem(from, to);
      if (problem) problems.push(problem);
    }
  }
  return problems.sort();
}
