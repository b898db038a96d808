/**
 * @jest-environment node
 */
import { packageVersion, readDist, requireBuild } from './built-plugin';

/**
 * README.md (the catalog's plugin page), CHANGELOG.md and LICENSE in the archive, as the
 * validator's readme, templatereadme, jargon, brokenlinks, changelog and license rules read them.
 */
beforeAll(requireBuild);

describe('README.md', () => {
  let readme: string;
  beforeAll(() => {
    readme = readDist('README.md');
  });

  it('is there, with the version filled in and no HTML comments (readme)', () => {
    expect(readme.trim()).not.toBe('');
    expect(readme).toContain(`Version ${packageVersion()}.`);
    expect(readme).not.toMatch(/%[A-Z_]+%/);
    expect(readme).not.toMatch(/<!--/);
  });

  it('is not create-plugin’s template (templatereadme)', () => {
    expect(readme).not.toMatch(
      /Grafana (Panel|Data Source|Datasource|App|Data Source Backend) Plugin Template/i,
    );
  });

  it('keeps developer jargon out of the catalog page (jargon)', () => {
    // The validator's words, matched as it does: case-sensitive, anywhere.
    for (const word of ['yarn', 'nodejs'])
      expect({ word, found: readme.includes(word) }).toEqual({ word, found: false });
  });

  it('links nowhere relative: the catalog page has no files beside it (brokenlinks)', () => {
    const targets = [...readme.matchAll(/\[.+?\]\((.+?)\)/g)].map((m) => (m[1] ?? '').split(/\s+/)[0] ?? '');
    const relative = targets.filter((t) => !/^(#|mailto:|https?:\/\/)/.test(t));
    expect(relative).toEqual([]);
  });
});

describe('CHANGELOG.md', () => {
  it('is there and opens with the released version (changelog; the release notes are its first `## ` section)', () => {
    const changelog = readDist('CHANGELOG.md');
    expect(changelog.trim()).not.toBe('');
    const first = /^## +(.+)$/m.exec(changelog)?.[1]?.trim();
    expect(first).toBe(packageVersion());
  });
});

describe('LICENSE', () => {
  it('is the Apache License 2.0, one the catalog accepts, without template placeholders (license)', () => {
    const license = readDist('LICENSE');
    expect(license).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(license).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    expect(license).not.toContain('{name of copyright owner}');
    expect(license).not.toContain('{yyyy}');
  });
});
