import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Facts about processes read from /proc (Linux), synchronous so exit handlers can use them. */
interface ProcStat {
  state: string;
  ppid: number;
  startTime: string;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Field 2 (the command name) may hold spaces and parentheses; the fields after the last ')' do not.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', ppid: Number(fields[1]), startTime: fields[19] ?? '' };
}

/** Alive and not a zombie (a killed child stays a zombie until its parent reaps it). */
export function isRunning(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** Start time in clock ticks since boot: with the pid, it identifies a process despite PID reuse. */
export function processStartTime(pid: number): string | undefined {
  return readStat(pid)?.startTime;
}

export function parentPid(pid: number): number | undefined {
  return readStat(pid)?.ppid;
}

export function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((candidate) => readStat(candidate)?.ppid === pid);
}

function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
}

/** True only for a postmaster serving exactly this data folder: never signal a recycled pid. */
export function isPostmasterOf(pid: number, dataDir: string): boolean {
  const argv = commandLine(pid);
  if (!argv || path.basename(argv[0] ?? '') !== 'postgres') return false;
  const flag = argv.indexOf('-D');
  return flag >= 0 && argv[flag + 1] === dataDir;
}

export function sigkill(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Waits (blocking) until none of the processes runs; false on timeout. */
export function waitUntilGone(pids: number[], timeoutMs: number): boolean {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isRunning)) {
    if (Date.now() > deadline) return false;
    sleepSync(20);
  }
  return true;
}
