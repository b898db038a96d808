import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Zippable, zipSync } from 'fflate';

/**
 * The plugin archive as grafana.com's catalog and `grafana cli plugins install` take it (the
 * steps of Grafana's package-plugin action): dist/ renamed to the plugin id at the zip's root,
 * named `<id>-<version>.zip`, with its SHA-1 in `<zip>.sha1` (the digest alone, as
 * `sha1sum | cut -f1 -d' '` writes it, which the catalog's submission form and the validator's
 * checksum rule read).
 */
export interface PluginArchive {
  zipPath: string;
  sha1Path: string;
  sha1: string;
  /** The entries, in archive order: `<id>/` first, then its folders and files. */
  entries: string[];
}

// Unix modes in the high half of the external attributes (`zip -r` on Linux writes the same);
// 0x10 is the MS-DOS directory flag.
const UNIX = 3;
const FILE_ATTRS = (0o100644 << 16) >>> 0;
const DIR_ATTRS = ((0o40755 << 16) | 0x10) >>> 0;

/** Every file under dir, as sorted paths relative to it with `/` separators. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** The folders that hold the files, parents first (`a/`, `a/b/`). */
function foldersOf(files: string[]): string[] {
  const folders = new Set<string>();
  for (const file of files) {
    const parts = file.split('/').slice(0, -1);
    parts.forEach((_, i) => folders.add(`${parts.slice(0, i + 1).join('/')}/`));
  }
  return [...folders].sort();
}

/** Zips a built dist/ into outDir; the same dist gives the same bytes (sorted, dated by plugin.json). */
export function packagePlugin(distDir: string, outDir: string): PluginArchive {
  const plugin = JSON.parse(readFileSync(path.join(distDir, 'plugin.json'), 'utf8')) as {
    id: string;
    info: { version: string; updated: string };
  };
  const { id } = plugin;
  const { version, updated } = plugin.info;
  if (!/^\d+\.\d+\.\d+/.test(version) || !/^\d{4}-\d{2}-\d{2}$/.test(updated))
    throw new Error(`${distDir}/plugin.json has version ${version}, updated ${updated}: build it first`);

  const mtime = new Date(`${updated}T00:00:00Z`);
  const files = filesUnder(distDir);
  const zippable: Zippable = {};
  for (const folder of ['', ...foldersOf(files)])
    zippable[`${id}/${folder}`] = [new Uint8Array(0), { os: UNIX, attrs: DIR_ATTRS, level: 0, mtime }];
  for (const file of files)
    zippable[`${id}/${file}`] = [
      readFileSync(path.join(distDir, file)),
      { os: UNIX, attrs: FILE_ATTRS, mtime },
    ];
  const zip = zipSync(zippable, { level: 9 });

  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, `${id}-${version}.zip`);
  const sha1Path = `${zipPath}.sha1`;
  const sha1 = createHash('sha1').update(zip).digest('hex');
  writeFileSync(zipPath, zip);
  writeFileSync(sha1Path, `${sha1}\n`);
  return { zipPath, sha1Path, sha1, entries: Object.keys(zippable) };
}

if (require.main === module) {
  const pluginDir = path.resolve(__dirname, '..');
  const archive = packagePlugin(path.join(pluginDir, 'dist'), path.join(pluginDir, 'release'));
  console.log(`${path.relative(process.cwd(), archive.zipPath)} (${archive.entries.length} entries)`);
  console.log(`${path.relative(process.cwd(), archive.sha1Path)}: ${archive.sha1}`);
}
