/**
 * @jest-environment node
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DIST, distPluginJson, filesUnder, requireBuild, SRC } from './built-plugin';

/**
 * The validator's jsMap rule (with the source code given, as Grafana's release action gives it):
 * every module.js has its module.js.map beside it, the map carries the sources' text, and each
 * of our sources in it is src/'s file as it is now. A failure after editing src/ means dist/ is
 * stale: rebuild.
 */
interface SourceMap {
  sources?: string[];
  sourcesContent?: string[];
}

// What the validator leaves out: webpack's runtime, externals, dependencies, styles and data.
const IGNORED_PREFIXES = ['external ', 'webpack/', '../node_modules', './node_modules/'];
const IGNORED_EXTENSIONS = ['.css', '.scss', '.sass', '.less', '.svg', '.json'];

function ownSources(map: SourceMap, pluginId: string): Map<string, string> {
  const prefix = new RegExp(`^webpack://${pluginId}/*|^webpack:/*`);
  const own = new Map<string, string>();
  (map.sources ?? []).forEach((source, i) => {
    const name = source.replace(prefix, '');
    const bare = name.split('?')[0] ?? name;
    if (bare.includes('/node_modules/.pnpm/')) return;
    if (IGNORED_EXTENSIONS.some((ext) => bare.endsWith(ext))) return;
    if (IGNORED_PREFIXES.some((p) => name.length > p.length && name.startsWith(p))) return;
    own.set(name, map.sourcesContent?.[i] ?? '');
  });
  return own;
}

const modules = () => filesUnder(DIST).filter((f) => f === 'module.js' || f.endsWith('/module.js'));

beforeAll(requireBuild);

it('ships module.js.map beside every module.js', () => {
  expect(modules()).toEqual(['module.js']);
  for (const module of modules()) expect(existsSync(path.join(DIST, `${module}.map`))).toBe(true);
});

describe.each(modules())('%s.map', (module) => {
  let map: SourceMap;
  let own: Map<string, string>;
  beforeAll(() => {
    map = JSON.parse(readFileSync(path.join(DIST, `${module}.map`), 'utf8')) as SourceMap;
    own = ownSources(map, distPluginJson().id);
  });

  it('names its sources and carries their text, one for one', () => {
    expect(map.sources?.length).toBeGreaterThan(0);
    expect(map.sourcesContent?.length).toBe(map.sources?.length);
  });

  it('maps the plugin’s own sources, the entry point among them', () => {
    expect([...own.keys()]).toContain('./module.ts');
    expect([...own.keys()]).toContain('./datasource.ts');
  });

  it('holds each source exactly as src/ has it', () => {
    const differing = [...own].filter(([name, text]) => {
      const file = path.join(SRC, name);
      if (!existsSync(file)) return true;
      const normalize = (s: string) => s.replace(/\r\n/g, '\n');
      return normalize(readFileSync(file, 'utf8')) !== normalize(text);
    });
    expect(differing.map(([name]) => name)).toEqual([]);
  });
});
