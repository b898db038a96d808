import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export { filesUnder } from '../../scripts/package-plugin';

/**
 * The built plugin as the catalog validator sees it: dist/ (what the archive holds), src/ and
 * package.json (the source code it is compared with).
 */
export const PLUGIN_DIR = path.resolve(__dirname, '..', '..');
export const DIST = path.join(PLUGIN_DIR, 'dist');
export const SRC = path.join(PLUGIN_DIR, 'src');

/** The fields of plugin.json the validator's rules read (its `metadata.Metadata`). */
export interface PluginMeta {
  id: string;
  name: string;
  type: string;
  backend?: boolean;
  executable?: string;
  info: {
    description?: string;
    keywords?: string[];
    author?: { name?: string; url?: string };
    logos: { small: string; large: string };
    links?: Array<{ name: string; url: string }>;
    screenshots?: Array<{ name: string; path: string }>;
    version: string;
    updated: string;
  };
  dependencies: { grafanaDependency: string; plugins?: unknown[] };
  routes?: Array<{ path: string; url: string }>;
}

/** Fails the calling suite early, with the fix, when the plugin was not built. */
export function requireBuild(): void {
  if (!existsSync(path.join(DIST, 'module.js')))
    throw new Error(`${DIST}/module.js is missing: run \`npm run build -w plugin\` before the plugin tests`);
}

export const readDist = (file: string): string => readFileSync(path.join(DIST, file), 'utf8');

export const distPluginJson = (): PluginMeta => JSON.parse(readDist('plugin.json')) as PluginMeta;

export const srcPluginJson = (): PluginMeta =>
  JSON.parse(readFileSync(path.join(SRC, 'plugin.json'), 'utf8')) as PluginMeta;

export const packageVersion = (): string =>
  (JSON.parse(readFileSync(path.join(PLUGIN_DIR, 'package.json'), 'utf8')) as { version: string }).version;
