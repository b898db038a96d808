import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';

/** deploy/kubernetes as kustomize would build it, and checks against the Kubernetes API's types. */

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const KUBERNETES_DIR = path.join(REPO_ROOT, 'deploy', 'kubernetes');

export interface Manifest {
  /** The file it comes from, relative to deploy/kubernetes (a generator's source for a ConfigMap). */
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export interface Kustomization {
  namespace?: string;
  resources: string[];
  configMapGenerator?: { name: string; files: string[] }[];
}

export const readKubernetesFile = (file: string) => readFileSync(path.join(KUBERNETES_DIR, file), 'utf8');

export const kustomization = () => parse(readKubernetesFile('kustomization.yaml')) as Kustomization;

export const manifestFile = (file: string): Manifest => ({
  ...(parse(readKubernetesFile(file)) as Manifest),
  file,
});

/** The resources, then the ConfigMaps of configMapGenerator (a key per file, named after it). */
export function builtManifests(k: Kustomization = kustomization()): Manifest[] {
  const generated = (k.configMapGenerator ?? []).map((g): Manifest => ({
    file: g.files.join(', '),
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: g.name },
    data: Object.fromEntries(g.files.map((f) => [path.basename(f), readKubernetesFile(f)])),
  }));
  return [...k.resources.map(manifestFile), ...generated];
}

/** Where each kind's model lives: the class validates, the interface types the fields. */
const MODELS: Record<string, { module: string; name: string }> = {
  'v1/Namespace': { module: 'kubernetes-models/v1/Namespace', name: 'Namespace' },
  'v1/ConfigMap': { module: 'kubernetes-models/v1/ConfigMap', name: 'ConfigMap' },
  'v1/Secret': { module: 'kubernetes-models/v1/Secret', name: 'Secret' },
  'v1/Service': { module: 'kubernetes-models/v1/Service', name: 'Service' },
  'apps/v1/Deployment': { module: 'kubernetes-models/apps/v1/Deployment', name: 'Deployment' },
  'policy/v1/PodDisruptionBudget': {
    module: 'kubernetes-models/policy/v1/PodDisruptionBudget',
    name: 'PodDisruptionBudget',
  },
  'monitoring.coreos.com/v1/PodMonitor': {
    module: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor',
    name: 'PodMonitor',
  },
};

const modelOf = (m: Manifest) => {
  const model = MODELS[`${m.apiVersion}/${m.kind}`];
  if (!model) throw new Error(`${m.file}: no model for ${m.apiVersion} ${m.kind}`);
  return model;
};

const withoutFile = ({ file: _file, ...document }: Manifest) => document;

/** The schema errors of one manifest (the models' JSON-schema validation), empty when valid. */
export function schemaErrors(m: Manifest): string[] {
  const { module, name } = modelOf(m);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Model = (require(module) as Record<string, new (data: unknown) => { validate(): void }>)[name];
  if (!Model) throw new Error(`${module} has no ${name}`);
  try {
    new Model(withoutFile(m)).validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

/**
 * Fields the API does not know, which the schemas above let through but kubectl's strict field
 * validation refuses (a misspelt probe would otherwise just be missing): each manifest as an
 * object literal of its model's TypeScript interface, whose excess property check names them.
 */
export function unknownFields(manifests: Manifest[]): string[] {
  const file = path.join(__dirname, '__manifests.generated.ts');
  const lines: string[] = [];
  const owners: { from: number; file: string }[] = [];
  manifests.forEach((m, i) => {
    const { module, name } = modelOf(m);
    lines.push(`import type { I${name} as M${i} } from ${JSON.stringify(module)};`);
  });
  manifests.forEach((m, i) => {
    owners.push({ from: lines.join('\n').length, file: m.file });
    lines.push(`export const m${i}: M${i} = ${JSON.stringify(withoutFile(m), null, 2)};`);
  });
  const source = lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest);
  host.fileExists = (name) => name === file || fileExists(name);
  host.readFile = (name) => (name === file ? source : readFile(name));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const owner = [...owners].reverse().find((o) => (d.start ?? 0) >= o.from);
    return `${owner?.file ?? '?'}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}
