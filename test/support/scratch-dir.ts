import { chmodSync, lstatSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Where test servers keep their data folders: os.tmpdir()/pgg-test/<random>. */
export const SCRATCH_ROOT = path.join(tmpdir(), 'pgg-test');
/** One JSON file per started server, so a later process can clean up what a dead one left. */
export const REGISTRY_DIR = path.join(SCRATCH_ROOT, 'registry');

/**
 * Like /tmp: world-writable with the sticky bit. Root's servers run as `nobody`, which must traverse
 * it, and a normal user's test run must be able to create folders in it after root created it.
 */
const SHARED_DIR_MODE = 0o1777;

function ensureSharedDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) throw new Error(`${dir} must be a directory (it is not, or is a symlink)`);
  if ((stat.mode & 0o7777) === SHARED_DIR_MODE) return;
  if (stat.uid !== process.getuid?.()) {
    throw new Error(
      `${dir} belongs to uid ${stat.uid} with mode ${(stat.mode & 0o7777).toString(8)}; expected 1777`,
    );
  }
  chmodSync(dir, SHARED_DIR_MODE);
}

export function ensureScratchDirs(): void {
  ensureSharedDir(SCRATCH_ROOT);
  ensureSharedDir(REGISTRY_DIR);
}

/** A fresh, empty data folder (mode 0700; the launcher hands it to `nobody` when we are root). */
export function createDataDir(): string {
  ensureScratchDirs();
  return mkdtempSync(path.join(SCRATCH_ROOT, 'pg-'));
}

/** Guard for deletions: only folders this harness creates, never a path a registry file merely claims. */
export function isScratchDataDir(dir: string): boolean {
  const resolved = path.resolve(dir);
  return path.dirname(resolved) === SCRATCH_ROOT && path.basename(resolved).startsWith('pg-');
}
