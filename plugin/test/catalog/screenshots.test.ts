/**
 * @jest-environment node
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DIST, distPluginJson, requireBuild, SRC, srcPluginJson } from './built-plugin';

/**
 * The validator's screenshots rule: plugin.json lists screenshots for the catalog, each a real
 * image whose content matches its extension. Ours are PNGs of the editors taken in Chromium by
 * `npm run screenshots` (test/plugin/browser.test.ts).
 */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's header chunk (IHDR, right after the signature). */
function pngSize(png: Buffer): { width: number; height: number } | undefined {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE) || png.toString('ascii', 12, 16) !== 'IHDR') return undefined;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

beforeAll(requireBuild);

it('lists the editors’ screenshots, named and under img/screenshots/', () => {
  const screenshots = srcPluginJson().info.screenshots ?? [];
  expect(screenshots.map((s) => s.path).sort()).toEqual([
    'img/screenshots/config-editor.png',
    'img/screenshots/query-editor.png',
  ]);
  for (const { name } of screenshots) expect(name.trim()).not.toBe('');
  expect(distPluginJson().info.screenshots).toEqual(screenshots);
});

describe.each([SRC, DIST])('in %s', (root) => {
  it.each(srcPluginJson().info.screenshots ?? [])('$path is a PNG of an editor’s size', ({ path: file }) => {
    expect(existsSync(path.join(root, file))).toBe(true);
    expect(path.extname(file)).toBe('.png');
    const size = pngSize(readFileSync(path.join(root, file)));
    expect(size).toBeDefined();
    expect(size?.width).toBeGreaterThanOrEqual(600);
    expect(size?.height).toBeGreaterThanOrEqual(200);
  });
});

it('tells a PNG from something else', () => {
  expect(pngSize(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
});
