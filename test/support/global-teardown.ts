import { parentPid } from './proc';
import { reapServer } from './reap-server';
import { isOwnerRunning, readRecords, removeRecord, ServerRecord } from './server-registry';

/**
 * Jest calls the teardown once every test file is done, so a server is a leftover when its owner
 * died without its exit handler (SIGKILL, OOM, a worker killed on timeout), is this process (an
 * in-band run: a leaked server's child handle would keep jest from exiting), or is one of this
 * run's workers. Servers of unrelated live processes, e.g. another test run on the machine, stay.
 */
function isAbandoned(record: ServerRecord): boolean {
  if (!isOwnerRunning(record)) return true;
  return record.ownerPid === process.pid || parentPid(record.ownerPid) === process.pid;
}

/** Jest `globalTeardown` of the integration project: kill and delete every abandoned test server. */
export default async function globalTeardown(): Promise<void> {
  for (const record of readRecords().filter(isAbandoned)) {
    try {
      reapServer(record);
      removeRecord(record.id);
    } catch (error) {
      console.warn(
        `test teardown: could not remove PostgreSQL test server ${record.dataDir}: ${String(error)}`,
      );
    }
  }
}
