import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Which file imports which, among TypeScript sources: paths relative to a root folder, with `/`.
 * Every import counts, type-only ones included (an import is knowledge of the module, whether or
 * not it survives compilation); only relative specifiers are followed (packages are not files).
 */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** The .ts files under root (relative paths) that include() keeps, with their text. */
export function readSources(root: string, include: (file: string) => boolean): Map<string, string> {
  const sources = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const file = entry.split(path.sep).join('/');
    if (file.endsWith('.ts') && !file.endsWith('.d.ts') && include(file))
      sources.set(file, readFileSync(path.join(root, entry), 'utf8'));
  }
  return sources;
}

/** The module specifiers of a source: imports, re-exports, import() and require(), comments aside. */
function specifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/**
 * Where a relative specifier leads: a known file (`x.ts`, `x/index.ts`), else the bare path (a
 * file not among the sources, or outside the root: then it starts with `../`).
 */
function resolve(from: string, specifier: string, known: ReadonlySet<string>): string {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  return [`${target}.ts`, `${target}/index.ts`, target].find((f) => known.has(f)) ?? target;
}

export function importGraph(sources: ReadonlyMap<string, string>): ImportGraph {
  const known = new Set(sources.keys());
  const graph = new Map<string, string[]>();
  for (const [file, source] of sources) {
    const targets = specifiers(source)
      .filter((s) => s.startsWith('./') || s.startsWith('../'))
      .map((s) => resolve(file, s, known));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/**
 * The import cycles: each group of files that reach one another (a strongly connected component of
 * more than one file, or a file importing itself), with one loop through it as an example.
 */
export function importCycles(graph: ImportGraph): { files: string[]; loop: string[] }[] {
  const cycles: { files: string[]; loop: string[] }[] = [];
  // Tarjan's algorithm, recursive: import chains are shallow.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file) as number);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file) as number, index.get(next) as number));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || graph.get(file)?.includes(file)) {
      const files = group.sort();
      cycles.push({ files, loop: loopThrough(files[0] as string, new Set(files), graph) });
    }
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return cycles.sort((a, b) => (a.files[0] as string).localeCompare(b.files[0] as string));
}

/** A shortest path from start back to start within the group (breadth first): start, ..., start. */
function loopThrough(start: string, group: ReadonlySet<string>, graph: ImportGraph): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i] as string;
    for (const next of graph.get(file) ?? []) {
      if (!group.has(next)) continue;
      if (next === start) {
        const chain: string[] = [];
        for (let at = file; at !== start; at = cameFrom.get(at) as string) chain.unshift(at);
        return [start, ...chain, start];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, file);
        queue.push(next);
      }
    }
  }
  return [start];
}
