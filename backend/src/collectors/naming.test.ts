import { readdirSync } from 'node:fs';
import path from 'node:path';
import { SQL_ROOT } from '../sql/sql-file';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Every entry of a folder, files of subfolders as <folder>/<file>. */
function entries(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? readdirSync(path.join(folder, entry.name)).map((file) => `${entry.name}/${file}`)
      : [entry.name],
  );
}

describe('one naming rule for collectors', () => {
  it('names collector folders in kebab-case', () => {
    const folders = readdirSync(__dirname, { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(folders.length).toBeGreaterThan(0);
    for (const folder of folders) expect(folder.name).toMatch(KEBAB);
  });

  it('names SQL files <query>.pg<N>.sql, or <folder>/<query>.sql, in kebab-case', () => {
    const files = entries(path.join(SQL_ROOT, 'collectors'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const [folder, name] = file.includes('/') ? file.split('/') : [undefined, file];
      if (folder !== undefined) expect(folder).toMatch(KEBAB);
      const query = folder === undefined ? name?.replace(/\.pg\d+\.sql$/, '') : name?.replace(/\.sql$/, '');
      expect({ file, query }).toEqual({ file, query: expect.stringMatching(KEBAB) });
    }
  });
});
