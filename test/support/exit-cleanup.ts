import { runInThisContext } from 'node:vm';
import { reapServer } from './reap-server';
import { readRecords, removeRecord } from './server-registry';

const INSTALLED = Symbol.for('pg-governor.test.postgres-exit-cleanup');

type CleanupProcess = NodeJS.Process & { [INSTALLED]?: true };

/**
 * Jest hands each test file a copy of `process` whose 'exit' listeners never run; the real one is
 * the outer context's global. (Outside jest this is simply `process`.)
 */
function realProcess(): CleanupProcess {
  return runInThisContext('process') as CleanupProcess;
}

/** Servers this process started and did not destroy: SIGKILL them and delete their data folders. */
function reapOwnServers(pid: number): void {
  for (const record of readRecords()) {
    if (record.ownerPid !== pid) continue;
    try {
      reapServer(record);
      removeRecord(record.id);
    } catch {
      // exiting: the next global teardown retries what is left
    }
  }
}

/**
 * Installs, once per process, an 'exit' handler for the servers it leaves behind (a test that
 * failed before its afterAll, a worker shutting down). It works from the on-disk registry, so
 * every test file's servers are covered by the one handler. A killed process never runs it: global
 * teardown handles those.
 */
export function installExitCleanup(): void {
  const proc = realProcess();
  if (proc[INSTALLED]) return;
  proc[INSTALLED] = true;
  proc.on('exit', () => reapOwnServers(proc.pid));
}
