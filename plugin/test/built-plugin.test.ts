/**
 * @jest-environment node
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** What Grafana loads from dist/ (built by `npm run build`): files, a valid plugin.json, externals. */
const DIST = path.resolve(__dirname, '..', 'dist');
const read = (file: string) => readFileSync(path.join(DIST, file), 'utf8');
const version = (
  JSON.parse(readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
).version;

beforeAll(() => {
  if (!existsSync(path.join(DIST, 'module.js')))
    throw new Error(`${DIST}/module.js is missing: run \`npm run build\` before the plugin tests`);
});

interface PluginJson {
  id: string;
  type: string;
  name: string;
  metrics: boolean;
  annotations: boolean;
  backend?: boolean;
  info: { version: string; updated: string; logos: { small: string; large: string } };
  routes: Array<{ path: string; url: string; headers: Array<{ name: string; content: string }> }>;
  dependencies: { grafanaDependency: string };
}

describe('dist/', () => {
  it('holds what Grafana loads and what a catalog shows', () => {
    for (const file of ['module.js', 'plugin.json', 'img/logo.svg', 'README.md', 'CHANGELOG.md', 'LICENSE'])
      expect({ file, exists: existsSync(path.join(DIST, file)) }).toEqual({ file, exists: true });
    expect(read('LICENSE')).toContain('Apache License');
    expect(read('LICENSE')).toContain('Version 2.0');
    expect(read('img/logo.svg')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  });

  it('has a plugin.json that Grafana accepts: id, type, version, routes, dependencies', () => {
    const text = read('plugin.json');
    expect(text).not.toContain('%VERSION%');
    expect(text).not.toContain('%TODAY%');
    const plugin = JSON.parse(text) as PluginJson;
    // Grafana's schema: <org>-<name>-<type>, lower case.
    expect(plugin.id).toMatch(/^[0-9a-z]+-([0-9a-z]+-)?datasource$/);
    expect(plugin.id).toBe('pggovernor-postgres-datasource');
    expect(plugin.type).toBe('datasource');
    expect(plugin.metrics).toBe(true);
    expect(plugin.annotations).toBe(true);
    expect(plugin.info.version).toBe(version);
    expect(plugin.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(existsSync(path.join(DIST, plugin.info.logos.small))).toBe(true);
    expect(plugin.dependencies.grafanaDependency).toBe('>=12.3.0');
    expect(plugin.routes).toEqual([
      {
        path: 'api',
        url: '{{ .JsonData.backendUrl }}',
        headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.apiToken }}' }],
      },
    ]);
  });

  it('has a README with the version filled in', () => {
    expect(read('README.md')).toContain(`Version ${version}.`);
  });

  it('is one AMD module with React, @grafana/* and rxjs left to Grafana', () => {
    const module = read('module.js');
    // create-plugin's banner comments, then the AMD definition.
    expect(module).toMatch(/^\/\* \[create-plugin\] version: \d+\.\d+\.\d+ \*\//);
    const amd = /^(?:\/\*[^*]*\*\/\s*)*define\((\[[^\]]*\])/.exec(module);
    expect(amd).not.toBeNull();
    const deps = JSON.parse(amd?.[1] ?? '[]') as string[];
    // `module` is the AMD loader's meta-module: the bundle's public path comes from its uri.
    expect(deps.sort()).toEqual([
      '@grafana/data',
      '@grafana/runtime',
      '@grafana/ui',
      'module',
      'react',
      'rxjs',
    ]);
    // Bundled React would carry its internals and version banner.
    expect(module).not.toContain('__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED');
    expect(module).not.toMatch(/react\.production\.min\.js|React v18/);
    expect(module.length).toBeLessThan(200_000);
  });

  it('carries nothing of the backend: its API contract is imported for types only', () => {
    const module = read('module.js');
    // TypeBox's schema marker, and the contract's latest time (contract/time.ts).
    expect(module).not.toContain('TypeBox.Kind');
    expect(module).not.toContain('Date.UTC(9999');
  });
});
