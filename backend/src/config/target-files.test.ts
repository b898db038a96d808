import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from './load';
import { parseTargetFile, readTargetsDir } from './target-files';
import { mergeTargetFiles, targetsOfFiles } from './target-inventory';

const defaults = loadConfig({ env: {} }).config.defaults;
const dsn = (db: string) => `postgres://mon:pw@db.example:5432/${db}`;
const parse = (text: string, file = '/etc/pgg/targets/fleet.yaml') => parseTargetFile(file, text, defaults);
const lines = (r: { problems: { path: string; message: string }[] }) =>
  r.problems.map((p) => `${p.path}: ${p.message}`);

describe('a file of targets', () => {
  it('holds one target, a list, or targets: with a list; the defaults merged in', () => {
    const one = parse(`name: a\ndsn: ${dsn('a')}\n`);
    const list = parse(`- name: a\n  dsn: ${dsn('a')}\n- name: b\n  dsn: ${dsn('b')}\n`);
    const keyed = parse(`targets:\n  - name: a\n    dsn: ${dsn('a')}\n    governor: { mode: enforce }\n`);
    expect(one.targets.map((t) => t.name)).toEqual(['a']);
    expect(list.targets.map((t) => t.name)).toEqual(['a', 'b']);
    expect(keyed.targets[0]).toMatchObject({
      name: 'a',
      governorDsn: dsn('a'),
      enabled: true,
      connection: { pool_max: 3 },
      governor: { mode: 'enforce', thresholds: { critical: 0.95 } },
    });
    expect(parse('').targets).toEqual([]);
    expect(parse('targets: []\n').problems).toEqual([]);
  });

  it('names what is wrong, with the file, as the main configuration would', () => {
    expect(lines(parse('name: [unclosed\n'))[0]).toMatch(/^fleet.yaml: invalid YAML/);
    expect(lines(parse('- name: a\n  dsn: mysql://x\n'))).toEqual([
      'fleet.yaml: [0].dsn: must be a postgres:// or postgresql:// URL',
    ]);
    expect(lines(parse(`targets:\n  - name: a\n    dsn: ${dsn('a')}\n    colour: red\n`))).toEqual([
      'fleet.yaml: targets[0].colour: unknown key',
    ]);
    expect(lines(parse(`- name: a\n  dsn: ${dsn('a')}\n- name: A\n  dsn: ${dsn('b')}\n`))).toEqual([
      'fleet.yaml: [1].name: duplicate target name "A"',
    ]);
    expect(lines(parse('hello: world\n'))).toEqual([
      'fleet.yaml: expected a target (name, dsn, ...), a list of targets, or `targets:` with a list',
    ]);
    // A bad file gives no targets at all, not the good half.
    expect(parse(`- name: a\n  dsn: ${dsn('a')}\n- name: b\n  dsn: nope\n`).targets).toEqual([]);
  });

  it('applies the safety caps, with a warning naming the file', () => {
    const capped = parse(`name: a\ndsn: ${dsn('a')}\nconnection: { pool_max: 50 }\n`);
    expect(capped.targets[0]?.connection.pool_max).toBe(5);
    expect(capped.warnings[0]).toMatch(/^fleet.yaml: connection\.pool_max/);
  });

  it('reads the yaml files of a folder in name order', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pgg-targets-'));
    try {
      writeFileSync(path.join(dir, 'b.yml'), `name: b\ndsn: ${dsn('b')}\n`);
      writeFileSync(path.join(dir, 'a.yaml'), `name: a\ndsn: ${dsn('a')}\n`);
      writeFileSync(path.join(dir, 'notes.txt'), 'not a target');
      expect(readTargetsDir(dir, defaults).map((r) => path.basename(r.file))).toEqual(['a.yaml', 'b.yml']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the files merged', () => {
  const file = (name: string, text: string) => parse(text, `/d/${name}`);
  const names = (accepted: ReturnType<typeof mergeTargetFiles>['accepted']) =>
    targetsOfFiles(accepted).map((t) => t.name);

  it('takes every good file', () => {
    const merged = mergeTargetFiles(['main'], new Map(), [
      file('a.yaml', `name: a\ndsn: ${dsn('a')}\n`),
      file('b.yaml', `- name: b\n  dsn: ${dsn('b')}\n- name: c\n  dsn: ${dsn('c')}\n`),
    ]);
    expect(names(merged.accepted)).toEqual(['a', 'b', 'c']);
    expect(merged.problems).toEqual([]);
  });

  it("keeps a bad file's last good targets", () => {
    const first = mergeTargetFiles([], new Map(), [file('a.yaml', `name: a\ndsn: ${dsn('a')}\n`)]);
    const second = mergeTargetFiles([], first.accepted, [file('a.yaml', 'name: a\ndsn: broken\n')]);
    expect(names(second.accepted)).toEqual(['a']);
    expect(second.rejected).toEqual(['/d/a.yaml']);
    expect(lines(second)).toEqual(['a.yaml: dsn: must be a postgres:// or postgresql:// URL']);
  });

  it('refuses a name of the main configuration or of another file, keeping the holder', () => {
    const first = mergeTargetFiles(['main'], new Map(), [file('b.yaml', `name: x\ndsn: ${dsn('x')}\n`)]);
    const second = mergeTargetFiles(['main'], first.accepted, [
      file('a.yaml', `- name: X\n  dsn: ${dsn('other')}\n- name: y\n  dsn: ${dsn('y')}\n`),
      file('b.yaml', `name: x\ndsn: ${dsn('x')}\n`),
      file('c.yaml', `name: main\ndsn: ${dsn('main')}\n`),
    ]);
    expect(targetsOfFiles(second.accepted).map((t) => [t.name, t.dsn])).toEqual([['x', dsn('x')]]);
    expect(lines(second)).toEqual([
      'a.yaml: X: duplicate target name "X": already in b.yaml',
      'c.yaml: main: duplicate target name "main": already in the main configuration',
    ]);
  });

  it('lets a name move once its file gives it up', () => {
    const first = mergeTargetFiles([], new Map(), [file('b.yaml', `name: x\ndsn: ${dsn('x')}\n`)]);
    const second = mergeTargetFiles([], first.accepted, [
      file('a.yaml', `name: x\ndsn: ${dsn('moved')}\n`),
      file('b.yaml', ''),
    ]);
    expect(targetsOfFiles(second.accepted).map((t) => t.dsn)).toEqual([dsn('moved')]);
    // A file removed takes its targets with it.
    expect(names(mergeTargetFiles([], second.accepted, []).accepted)).toEqual([]);
  });
});

describe('targets_dir in the configuration', () => {
  const write = (dir: string, file: string, text: string) => writeFileSync(path.join(dir, file), text);

  it('is read at start: its targets count for custom metrics, its bad files are reported, not fatal', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pgg-targets-'));
    try {
      write(dir, 'a.yaml', `name: a\ndsn: ${dsn('a')}\n`);
      write(dir, 'bad.yaml', 'name: b\ndsn: nope\n');
      const config = path.join(dir, '..', `${path.basename(dir)}.yml`);
      writeFileSync(
        config,
        `targets_dir: ${dir}\ncustom_metrics:\n  - { name: x, help: x, sql: 'SELECT 1 AS v', value_columns: [v], targets: [a] }\n`,
      );
      const loaded = loadConfig({ file: config, env: {} });
      expect(loaded.config.targets).toEqual([]);
      expect(loaded.targetFileProblems.map((p) => `${p.path}: ${p.message}`)).toEqual([
        'targets_dir bad.yaml: dsn: must be a postgres:// or postgresql:// URL',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(path.join(dir, '..', `${path.basename(dir)}.yml`), { force: true });
    }
  });

  it('must exist; the lease must outlast three heartbeats', () => {
    expect(() => loadConfig({ env: { PGG_TARGETS_DIR: '/nonexistent/pgg' } })).toThrow(
      /targets_dir: folder not found/,
    );
    expect(() =>
      loadConfig({ env: { PGG_REPLICAS__HEARTBEAT_MS: '3000', PGG_REPLICAS__LEASE_MS: '6000' } }),
    ).toThrow(/replicas.lease_ms: must be at least 3 heartbeats/);
  });
});
