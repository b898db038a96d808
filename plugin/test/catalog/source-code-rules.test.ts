/**
 * @jest-environment node
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { filesUnder, SRC } from './built-plugin';

/**
 * The validator's code rules for a frontend plugin's source (its semgrep rules for TypeScript,
 * run over src/ without tests), here on TypeScript's own syntax tree. Each rule is shown to
 * catch its example, so a pass means something.
 */
type Finding = string;

const CONSOLE = new Set(
  'log info table clear count countReset dir dirxml group groupEnd time timeEnd timeLog trace'
    .split(' ')
    .map((m) => `console.${m}`),
);
const DIALOGS = new Set(['alert', 'window.alert', 'window.confirm', 'window.prompt']);

/** Rules matched on the text, as semgrep's pattern-regex rules are. */
const TEXT_RULES: Array<[string, RegExp]> = [
  ['window-properties', /window\.(grafanaBootData|grafanaRuntime|__grafanaSceneContext)/],
  ['deprecated-gf-form-css-classes', /gf-form/],
  ['ts-ignore-suppress', /@ts-ignore|@ts-expect-error/],
  ['no-direct-css-imports', /import\s+['"].*\.(css|scss|less)['"]/],
  ['no-api-ds-query-endpoint', /\/api\/ds\/query/],
  ['access-old-react-internals', /__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED/],
  [
    'backend-datasource-should-not-implement-testdatasource',
    /class\s+\w+\s+extends\s+DataSourceWithBackend(?:<[^>]+>)?\s*\{[\s\S]*?\btestDatasource\s*\(/,
  ],
];

function findings(fileName: string, text: string): Finding[] {
  const found: Finding[] = TEXT_RULES.filter(([, re]) => re.test(text)).map(([rule]) => rule);
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const code = (node: ts.Node) => node.getText(source).replace(/\s+/g, '');
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = code(node.expression);
      if (CONSOLE.has(callee)) found.push('console-logging');
      if (DIALOGS.has(callee)) found.push('native-browser-dialogs');
      const features = node.arguments[2];
      if (
        callee === 'window.open' &&
        !(features && /noopener.*noreferrer|noreferrer.*noopener/.test(features.getText(source)))
      )
        found.push('window-open-without-noopener');
    }
    if (ts.isPropertyAccessExpression(node)) {
      const access = code(node);
      if (access === 'window.location.search' || access === 'window.location.href')
        found.push('direct-window-location-access');
      if (node.name.text === 'topnav' && code(node.expression).endsWith('featureToggles'))
        found.push('topnav-toggle');
    }
    if (
      ts.isImportDeclaration(node) &&
      code(node.moduleSpecifier).replace(/['"]/g, '') === '@emotion/react'
    ) {
      const names = node.importClause?.namedBindings;
      if (names && ts.isNamedImports(names) && names.elements.some((e) => e.name.text === 'Global'))
        found.push('no-direct-css-imports');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const sources = () => filesUnder(SRC).filter((f) => /\.tsx?$/.test(f) && !/\.(test|spec)\.tsx?$/.test(f));

it('finds the rules’ examples', () => {
  const bad = `
    import { Global } from '@emotion/react';
    import './panel.css';
    // @ts-ignore
    console.log(config.featureToggles.topnav, window.grafanaBootData);
    alert('x'); window.confirm('y');
    window.open(url, '_blank');
    const u = new URLSearchParams(window.location.search);
    fetch('/api/ds/query');
    const c = 'gf-form';
    class D extends DataSourceWithBackend<Q> { testDatasource() { return 1; } }
  `;
  expect(new Set(findings('bad.tsx', bad))).toEqual(
    new Set([
      'window-properties',
      'deprecated-gf-form-css-classes',
      'ts-ignore-suppress',
      'no-direct-css-imports',
      'no-api-ds-query-endpoint',
      'backend-datasource-should-not-implement-testdatasource',
      'console-logging',
      'native-browser-dialogs',
      'window-open-without-noopener',
      'direct-window-location-access',
      'topnav-toggle',
    ]),
  );
  expect(findings('ok.ts', "window.open(url, '_blank', 'noopener,noreferrer'); console.error(e);")).toEqual(
    [],
  );
});

it('holds to every rule in src/', () => {
  expect(sources().length).toBeGreaterThan(10);
  const violations = sources().flatMap((file) =>
    findings(file, readFileSync(path.join(SRC, file), 'utf8')).map((rule) => `${file}: ${rule}`),
  );
  expect(violations).toEqual([]);
});
