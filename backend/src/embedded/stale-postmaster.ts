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

/** The parent of a process (from /proc), or undefined if it is gone. */
function parentOf(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces and parentheses): state, ppid, ...
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function isNodeProcess(pid: number): boolean {
  try {
    return /(^|\/)node(\0|$)/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '');
  } catch {
    return false;
  }
}

/**
 * A server left running on our data folder by a process that died without stopping it (kill -9,
 * OOM) has been re-parented (to init or a subreaper): fast shutdown (SIGINT) and wait, so that the new start can
 * take the folder over. A server whose starter still lives belongs to another backend sharing the
 * data folder: that is a configuration error, and its server is left alone.
 */
export async function stopStalePostmaster(dataDir: string, timeoutMs = 15_000): Promise<boolean> {
  const pid = runningPostmaster(dataDir);
  if (pid === undefined) return false;
  const parent = parentOf(pid);
  if (parent !== undefined && parent !== process.pid && isNodeProcess(parent)) {
    throw new Error(
      `${dataDir} is in use by a PostgreSQL (pid ${pid}) that process ${parent} started: is another backend running with the same embedded.data_dir?`,
    );
  }
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
