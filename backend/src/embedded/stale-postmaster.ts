import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The postmaster pid recorded in dataDir/postmaster.pid, if that process still runs and is a postgres. */
export function runningPostmaster(dataDir: string): number | undefined {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
  try {
    // A reused pid of some other program must not be signalled.
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return command.includes('postgres') ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A server left running on our data folder by a process that died without stopping it (kill -9,
 * OOM): fast shutdown (SIGINT) and wait, so that the new start can take the folder over.
 */
export async function stopStalePostmaster(dataDir: string, timeoutMs = 15_000): Promise<boolean> {
  const pid = runningPostmaster(dataDir);
  if (pid === undefined) return false;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}
