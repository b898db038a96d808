/**
 * @jest-environment node
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { DIST, distPluginJson, filesUnder, packageVersion, PluginMeta, requireBuild } from './built-plugin';

/**
 * The validator's rules on plugin.json beyond its schema, each named after its analyzer
 * (pkg/analysis/passes/<name> in grafana/plugin-validator).
 */
let plugin: PluginMeta;

beforeAll(() => {
  requireBuild();
  plugin = distPluginJson();
});

it('typesuffix, pluginname: id is org-name-type and ends with the type; the name is for humans', () => {
  expect(plugin.id.split('-')).toEqual(['pggovernor', 'postgres', plugin.type]);
  expect(plugin.type).toBe('datasource');
  expect(plugin.name).not.toBe(plugin.id);
  expect(plugin.name.trim()).not.toBe('');
});

it('metadatavalid (as rules): only fields Grafana’s plugin.json reference documents, in their shape', () => {
  // From Grafana's plugin.json reference (the schema itself is not published on npm, see README.md).
  const documented = new Set([
    '$schema',
    'id',
    'type',
    'name',
    'info',
    'dependencies',
    'includes',
    'routes',
    'metrics',
    'annotations',
    'alerting',
    'logs',
    'tracing',
    'streaming',
    'backend',
    'executable',
    'category',
    'state',
    'preload',
    'queryOptions',
    'hiddenQueries',
    'skipDataQuery',
    'builtIn',
    'autoEnabled',
    'buildMode',
    'multiValueFilterOperators',
    'roles',
    'iam',
    'languages',
  ]);
  expect(Object.keys(plugin).filter((key) => !documented.has(key))).toEqual([]);
  expect(plugin.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(plugin.info.author?.name?.trim()).toBeTruthy();
  for (const route of plugin.routes ?? []) {
    expect(route.path).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(route.url).toMatch(/^(https?:\/\/|\{\{)/);
  }
});

it('version, packagejson: a semver version, the one package.json has', () => {
  expect(semver.valid(plugin.info.version)).toBe(plugin.info.version);
  expect(plugin.info.version).toBe(packageVersion());
});

it('grafanadependency, restrictivedep: a valid range that admits 12.3 and the releases after it', () => {
  const range = plugin.dependencies.grafanaDependency;
  expect(semver.validRange(range)).not.toBeNull();
  // Not pinned to one release or to one minor's patch releases (restrictivedep's warnings).
  expect(range).not.toMatch(/^\d+\.\d+\.(x|\d+)$/);
  for (const grafana of ['12.3.0', '12.3.4', '12.4.0'])
    expect({ grafana, admitted: semver.satisfies(grafana, range) }).toEqual({ grafana, admitted: true });
});

it('logos, metadatapaths: both logos set, relative to plugin.json, present in dist/', () => {
  const paths = [
    plugin.info.logos.small,
    plugin.info.logos.large,
    ...(plugin.info.screenshots ?? []).map((s) => s.path),
  ];
  for (const file of paths) {
    expect(file.trim()).not.toBe('');
    // No scheme (absolute URL), no leading `.` or `/`: `img/x.png`, not `./img/x.png`.
    expect(file).not.toMatch(/^([a-z][a-z0-9+.-]*:|\.|\/)/i);
    expect({ file, exists: existsSync(path.join(DIST, file)) }).toEqual({ file, exists: true });
  }
});

it('discoverability: a description and keywords for the catalog’s search', () => {
  expect(plugin.info.description?.trim()).toBeTruthy();
  expect(plugin.info.keywords?.length).toBeGreaterThan(0);
});

it('brokenlinks (offline part): author and links are absolute http(s) URLs', () => {
  const urls = [plugin.info.author?.url, ...(plugin.info.links ?? []).map((l) => l.url)].filter(
    (url): url is string => url !== undefined,
  );
  for (const url of urls) expect(url).toMatch(/^https?:\/\/[^/\s]+/);
});

it('nestedmetadata, includesnested: one plugin.json, at the root (nesting is for apps only)', () => {
  expect(filesUnder(DIST).filter((f) => f === 'plugin.json' || f.endsWith('/plugin.json'))).toEqual([
    'plugin.json',
  ]);
});

it('backendbinary: a frontend plugin declares no backend and ships no executable', () => {
  expect(plugin.backend).toBe(false);
  expect(plugin.executable).toBeUndefined();
  expect(filesUnder(DIST).filter((f) => /_(linux|darwin|windows)_/.test(f))).toEqual([]);
});
