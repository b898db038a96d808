import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { loadConfig } from '../config/load';
import { TargetConfig } from '../config/schema';
import { TargetsDir } from './targets-dir';

const defaults = loadConfig({ env: {} }).config.defaults;
const dsn = (db: string) => `postgres://mon:pw@db.example:5432/${db}`;

describe('targets_dir, live', () => {
  let dir: string;
  let registry: Registry;
  let changes: string[][];
  let targets: TargetsDir;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pgg-targets-dir-'));
    registry = new Registry();
    changes = [];
    targets = new TargetsDir({
      dir,
      defaults,
      mainNames: ['main'],
      rescanMs: 60_000,
      debounceMs: 20,
      log: pino({ level: 'silent' }),
      registry,
      onChange: (list: TargetConfig[]) => changes.push(list.map((t) => t.name)),
    });
  });
  afterEach(() => {
    targets.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const errors = async () => /^pgg_targets_file_errors (\d+)$/m.exec(await registry.metrics())?.[1];

  it('reads at start, follows changes, keeps a bad file’s last good targets', async () => {
    writeFileSync(path.join(dir, 'a.yaml'), `name: a\ndsn: ${dsn('a')}\n`);
    expect(targets.start().map((t) => t.name)).toEqual(['a']);

    writeFileSync(path.join(dir, 'b.yaml'), `- { name: b, dsn: '${dsn('b')}' }\n`);
    targets.reload();
    expect(changes.at(-1)).toEqual(['a', 'b']);

    writeFileSync(path.join(dir, 'a.yaml'), 'name: a\ndsn: broken\n');
    writeFileSync(path.join(dir, 'c.yaml'), `name: main\ndsn: ${dsn('c')}\n`);
    targets.reload();
    expect(targets.targets().map((t) => t.name)).toEqual(['a', 'b']);
    expect(targets.problems()).toEqual([
      'targets_dir: a.yaml: dsn: must be a postgres:// or postgresql:// URL',
      'targets_dir: c.yaml: main: duplicate target name "main": already in the main configuration',
    ]);
    expect(await errors()).toBe('2');

    rmSync(path.join(dir, 'a.yaml'));
    rmSync(path.join(dir, 'c.yaml'));
    targets.reload();
    expect(changes.at(-1)).toEqual(['b']);
    expect(targets.problems()).toEqual([]);
    expect(await errors()).toBe('0');
  });

  it('reads again shortly after a file changes', async () => {
    targets.start();
    writeFileSync(path.join(dir, 'new.yml'), `name: n\ndsn: ${dsn('n')}\n`);
    for (let i = 0; i < 100 && changes.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(changes).toEqual([['n']]);
  });

  it('keeps the last good targets while the folder cannot be read', () => {
    writeFileSync(path.join(dir, 'a.yaml'), `name: a\ndsn: ${dsn('a')}\n`);
    targets.start();
    rmSync(dir, { recursive: true, force: true });
    targets.reload();
    expect(targets.targets().map((t) => t.name)).toEqual(['a']);
    expect(targets.problems()[0]).toMatch(/the folder cannot be read \(ENOENT\)/);
  });
});
