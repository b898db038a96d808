import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Type-checks dashboard JSON against @grafana/schema with the TypeScript compiler: each dashboard
 * becomes a module of `const` literals, one per panel (`satisfies` its panel kind's type from
 * @grafana/schema's panel configs) and one for the dashboard (`satisfies` SchemaDashboard), and
 * every diagnostic is reported with the file and the JSON path of the value it is about.
 */

export interface DashboardJsonFile {
  /** As reported (relative to the repository root). */
  file: string;
  json: unknown;
}

export interface SchemaDiagnostic {
  file: string;
  /** JSONPath of the value the compiler points at, e.g. `$.panels[2].options.footer`. */
  path: string;
  message: string;
}

const SCHEMA_PACKAGE = '@grafana/schema';
const PANEL_CONFIGS = 'dist/types/raw/composable';
const TYPES_MODULE = './grafana-schema-types';

interface PanelConfig {
  /** Module specifier of the panel plugin's generated types. */
  module: string;
  /** Whether the plugin has a field config (`custom`) type; the stat, for one, has none. */
  fieldConfig: boolean;
}

/** The panel kind's types in @grafana/schema (raw/composable/<kind>/panelcfg/x/*_types.gen.d.ts). */
function panelConfig(kind: string): PanelConfig | undefined {
  // Panel plugin ids are lower-case words; anything else is no folder of the package.
  if (!/^[a-z0-9]+$/.test(kind)) return undefined;
  const root = path.dirname(require.resolve(`${SCHEMA_PACKAGE}/package.json`));
  const dir = path.join(root, PANEL_CONFIGS, kind, 'panelcfg', 'x');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const file = names.find((n) => n.endsWith('_types.gen.d.ts'));
  if (file === undefined) return undefined;
  return {
    module: `${SCHEMA_PACKAGE}/${PANEL_CONFIGS}/${kind}/panelcfg/x/${file.replace(/\.d\.ts$/, '')}`,
    fieldConfig: /export interface FieldConfig\b/.test(readFileSync(path.join(dir, file), 'utf8')),
  };
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** One dashboard as TypeScript; `prefixes` maps each const to the JSON path of its value. */
interface Module {
  source: string;
  prefixes: Map<string, string>;
  /** Problems found before compiling (a panel kind the schema has no types for). */
  problems: { path: string; message: string }[];
}

/** A const's literal: JSON with the placeholders of other consts replaced by their names. */
const literal = (value: unknown) =>
  JSON.stringify(value, null, 2).replace(/"@@(\w+)@@"/g, (_match, name: string) => name);

function dashboardModule(json: unknown): Module {
  const imports = new Map<string, PanelConfig>();
  const consts: string[] = [];
  const prefixes = new Map<string, string>();
  const problems: Module['problems'] = [];

  /** Declares a const checked against a type; returns the placeholder that stands for it. */
  const declare = (jsonPath: string, value: unknown, type: string) => {
    const name = jsonPath === '$' ? 'dashboard' : `panel_${prefixes.size}`;
    prefixes.set(name, jsonPath);
    consts.push(`const ${name} = ${literal(value)} satisfies ${type};`);
    return `@@${name}@@`;
  };

  const panel = (value: unknown, jsonPath: string): unknown => {
    if (!isObject(value)) return declare(jsonPath, value, 'S.SchemaPanel<unknown, unknown>');
    const kind = String(value.type);
    if (kind === 'row') {
      const panels = Array.isArray(value.panels) ? value.panels : [];
      const rowValue = { ...value, panels: panels.map((p, i) => panel(p, `${jsonPath}.panels[${i}]`)) };
      return declare(jsonPath, rowValue, 'S.SchemaRowPanel');
    }
    const config = panelConfig(kind);
    if (!config) {
      problems.push({ path: `${jsonPath}.type`, message: `@grafana/schema has no panel type ${kind}` });
      return value;
    }
    imports.set(kind, config);
    const custom = config.fieldConfig ? `K_${kind}.FieldConfig` : 'never';
    return declare(jsonPath, value, `S.SchemaPanel<K_${kind}.Options, ${custom}>`);
  };

  const dashboard = isObject(json)
    ? {
        ...json,
        ...(Array.isArray(json.panels)
          ? { panels: json.panels.map((p: unknown, i) => panel(p, `$.panels[${i}]`)) }
          : {}),
      }
    : json;
  declare('$', dashboard, 'S.SchemaDashboard');
  const source = [
    `import type * as S from '${TYPES_MODULE}';`,
    ...[...imports].map(([kind, config]) => `import type * as K_${kind} from '${config.module}';`),
    ...consts,
    'export {};',
    '',
  ].join('\n');
  return { source, prefixes, problems };
}

/** The innermost node at a position of the source. */
function nodeAt(sourceFile: ts.SourceFile, position: number): ts.Node {
  let node: ts.Node = sourceFile;
  for (;;) {
    const child = node
      .getChildren(sourceFile)
      .find((c) => c.getStart(sourceFile) <= position && position < c.getEnd());
    if (!child) return node;
    node = child;
  }
}

const KEY = /^[A-Za-z_$][\w$]*$/;

/** The JSON path of the value at a position: keys and indices up to the const, after its prefix. */
function jsonPathAt(sourceFile: ts.SourceFile, position: number, prefixes: Map<string, string>): string {
  const parts: string[] = [];
  let node = nodeAt(sourceFile, position);
  while (!ts.isSourceFile(node)) {
    const parent = node.parent;
    if (ts.isVariableDeclaration(node)) {
      return `${prefixes.get(node.name.getText(sourceFile)) ?? '$'}${parts.reverse().join('')}`;
    }
    if (ts.isPropertyAssignment(parent) && ts.isStringLiteral(parent.name)) {
      const key = parent.name.text;
      parts.push(KEY.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);
    } else if (ts.isArrayLiteralExpression(parent)) {
      parts.push(`[${parent.elements.indexOf(node as ts.Expression)}]`);
    }
    node = parent;
  }
  return '$';
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  exactOptionalPropertyTypes: false,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  types: [],
};

/** Every compiler diagnostic of the dashboards, with file and JSON path; none when they conform. */
export function schemaDiagnostics(dashboards: DashboardJsonFile[]): SchemaDiagnostic[] {
  const modules = new Map<string, { dashboard: DashboardJsonFile; module: Module }>();
  dashboards.forEach((dashboard, index) => {
    const name = path.join(__dirname, `schema-check.virtual-${index}.ts`);
    modules.set(name, { dashboard, module: dashboardModule(dashboard.json) });
  });
  const host = ts.createCompilerHost(COMPILER_OPTIONS, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, language, ...rest) => {
    const virtual = modules.get(fileName);
    return virtual
      ? ts.createSourceFile(fileName, virtual.module.source, language, true)
      : getSourceFile.call(host, fileName, language, ...rest);
  };
  host.fileExists = (fileName) => modules.has(fileName) || fileExists.call(host, fileName);
  host.readFile = (fileName) => modules.get(fileName)?.module.source ?? readFile.call(host, fileName);
  const program = ts.createProgram([...modules.keys()], COMPILER_OPTIONS, host);

  const found: SchemaDiagnostic[] = [];
  for (const [name, { dashboard, module }] of modules) {
    for (const problem of module.problems) found.push({ file: dashboard.file, ...problem });
    const sourceFile = program.getSourceFile(name);
    if (!sourceFile) throw new Error(`${name} was not compiled`);
    const diagnostics = [
      ...program.getSyntacticDiagnostics(sourceFile),
      ...program.getSemanticDiagnostics(sourceFile),
    ];
    for (const d of diagnostics) {
      found.push({
        file: dashboard.file,
        path: d.start === undefined ? '$' : jsonPathAt(sourceFile, d.start, module.prefixes),
        message: ts.flattenDiagnosticMessageText(d.messageText, ' ').replace(/\s+/g, ' '),
      });
    }
  }
  return found;
}
