/**
 * @jest-environment node
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { packagePlugin, PluginArchive } from '../../scripts/package-plugin';
import { DIST, distPluginJson, filesUnder, requireBuild } from './built-plugin';

/**
 * `npm run package`'s archive read back, against the validator's archive rules (archive,
 * archivename, metadata, modulejs, checksum) and what Grafana's installer extracts.
 */

/** Name, creator system and Unix mode of each entry, from the zip's central directory. */
function centralDirectory(zip: Buffer): Array<{ name: string; system: number; mode: number }> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`no central directory header at ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      system: zip.readUInt8(at + 5),
      mode: zip.readUInt32LE(at + 38) >>> 16,
    });
    at += 46 + nameLength + skip;
  }
  return entries;
}

let out: string;
let archive: PluginArchive;
let zip: Buffer;
let id: string;
let version: string;

beforeAll(() => {
  requireBuild();
  ({
    id,
    info: { version },
  } = distPluginJson());
  out = mkdtempSync(path.join(os.tmpdir(), 'pgg-package-'));
  archive = packagePlugin(DIST, out);
  zip = readFileSync(archive.zipPath);
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

it('is named <plugin-id>-<version>.zip, with its SHA-1 beside it as sha1sum prints the digest', () => {
  expect(path.basename(archive.zipPath)).toBe(`pggovernor-postgres-datasource-${version}.zip`);
  expect(archive.sha1Path).toBe(`${archive.zipPath}.sha1`);
  const sha1 = createHash('sha1').update(zip).digest('hex');
  expect(readFileSync(archive.sha1Path, 'utf8')).toBe(`${sha1}\n`);
  expect(archive.sha1).toBe(sha1);
});

it('holds one folder at its root, named after the plugin id, and no dist/ (archive, archivename)', () => {
  const names = Object.keys(unzipSync(zip));
  expect(new Set(names.map((n) => n.split('/')[0]))).toEqual(new Set([id]));
  expect(names[0]).toBe(`${id}/`);
  expect(names.filter((n) => n.startsWith(`${id}/dist/`))).toEqual([]);
  // Nothing a careful extractor refuses (zip-slip): no absolute paths, no `..`, no backslashes.
  expect(names.filter((n) => n.startsWith('/') || n.split('/').includes('..') || n.includes('\\'))).toEqual(
    [],
  );
});

it('holds dist/ file for file, byte for byte, module.js and plugin.json at the top (metadata, modulejs)', () => {
  const files = unzipSync(zip, { filter: (f) => !f.name.endsWith('/') });
  const expected = filesUnder(DIST);
  expect(Object.keys(files).sort()).toEqual(expected.map((f) => `${id}/${f}`));
  for (const file of expected)
    expect({
      file,
      same: Buffer.from(files[`${id}/${file}`] ?? []).equals(readFileSync(path.join(DIST, file))),
    }).toEqual({
      file,
      same: true,
    });
  expect(expected).toEqual(expect.arrayContaining(['module.js', 'module.js.map', 'plugin.json']));
  const pluginJson = JSON.parse(Buffer.from(files[`${id}/plugin.json`] ?? []).toString('utf8')) as {
    id: string;
  };
  expect(pluginJson.id).toBe(id);
});

it('lists each folder before its files, with the modes `zip -r` gives: 755 folders, 644 files', () => {
  const entries = centralDirectory(zip);
  expect(entries.every((e) => e.system === 3)).toBe(true);
  for (const entry of entries) {
    const expected = entry.name.endsWith('/') ? 0o40755 : 0o100644;
    expect({ name: entry.name, mode: entry.mode.toString(8) }).toEqual({
      name: entry.name,
      mode: expected.toString(8),
    });
  }
  const folders = entries.filter((e) => e.name.endsWith('/')).map((e) => e.name);
  expect(folders).toEqual(expect.arrayContaining([`${id}/`, `${id}/img/`]));
  for (const entry of entries) {
    const parent = entry.name.replace(/[^/]+\/?$/, '');
    if (parent) expect(entries.findIndex((e) => e.name === parent)).toBeLessThan(entries.indexOf(entry));
  }
});

it('comes out the same for the same build', () => {
  const again = packagePlugin(DIST, out);
  expect(again.sha1).toBe(archive.sha1);
});
