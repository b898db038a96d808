import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { childPids, isPostmasterOf, sigkill, waitUntilGone } from './proc';
import { isScratchDataDir } from './scratch-dir';
import type { ServerRecord } from './server-registry';

/** What the postmaster wrote in <data>/postmaster.pid; the file stays behind when it is killed. */
interface PostmasterPidFile {
  pid: number;
  /** The System V segment's key and id (line 7), which a killed postmaster never removes. */
  shmKey?: number;
  shmId?: number;
}

function readPostmasterPidFile(dataDir: string): PostmasterPidFile | undefined {
  let lines: string[];
  try {
    lines = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const shm = /^\s*(\d+)\s+(\d+)/.exec(lines[6] ?? '');
  return shm ? { pid, shmKey: Number(shm[1]), shmId: Number(shm[2]) } : { pid };
}

/** SIGKILL the postmaster and its children (backends, checkpointer...), which would otherwise linger a moment. */
export function killPostmasterTree(pid: number, timeoutMs = 5000): void {
  const children = childPids(pid);
  sigkill([pid, ...children]);
  waitUntilGone([pid, ...children], timeoutMs);
}

/** ipcrm the segment, but only if the id still carries the same key (ids are recycled). */
function releaseSharedMemory(shmKey: number, shmId: number): void {
  const listing = spawnSync('ipcs', ['-m'], { encoding: 'utf8' });
  if (listing.status !== 0) return; // no ipcs: a 56-byte segment leaks, nothing worse
  const matches = listing.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .some(([key, id]) => key?.startsWith('0x') && parseInt(key, 16) === shmKey && Number(id) === shmId);
  if (matches) spawnSync('ipcrm', ['-m', String(shmId)]);
}

/**
 * Kills whatever still runs on a test server's data folder, releases its shared memory and deletes
 * the folder. Synchronous, so an 'exit' handler can use it.
 */
export function reapServer(record: Pick<ServerRecord, 'dataDir' | 'postmasterPid'>): void {
  const { dataDir } = record;
  const pidFile = readPostmasterPidFile(dataDir);
  const candidates = new Set([record.postmasterPid, pidFile?.pid]);
  for (const pid of candidates) {
    if (pid && isPostmasterOf(pid, dataDir)) killPostmasterTree(pid);
  }
  if (pidFile?.shmKey !== undefined && pidFile.shmId !== undefined)
    releaseSharedMemory(pidFile.shmKey, pidFile.shmId);
  if (isScratchDataDir(dataDir)) rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
}
