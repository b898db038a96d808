import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isRunning, processStartTime } from './proc';
import { REGISTRY_DIR } from './scratch-dir';

/**
 * The on-disk list of test servers (REGISTRY_DIR/<id>.json). It outlives the process that started
 * a server, so global teardown can find servers whose jest worker crashed or was killed.
 */
export interface ServerRecord {
  /** The data folder's name, unique under the scratch root. */
  id: string;
  dataDir: string;
  major: number;
  port: number | null;
  /** null while starting: the data folder's postmaster.pid then tells. */
  postmasterPid: number | null;
  /** The process that started the server; pid + start time survive PID reuse. */
  ownerPid: number;
  ownerStartTime: string;
}

function recordPath(id: string): string {
  return path.join(REGISTRY_DIR, `${id}.json`);
}

/** Write-then-rename, so a concurrent reader never sees half a file. */
function writeRecord(record: ServerRecord): void {
  const temporary = `${recordPath(record.id)}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(record), { mode: 0o644 });
  renameSync(temporary, recordPath(record.id));
}

/** Called before the server starts, so even a crash during start leaves a trace. */
export function recordServer(dataDir: string, major: number): ServerRecord {
  const record: ServerRecord = {
    id: path.basename(dataDir),
    dataDir,
    major,
    port: null,
    postmasterPid: null,
    ownerPid: process.pid,
    ownerStartTime: processStartTime(process.pid) ?? '',
  };
  writeRecord(record);
  return record;
}

export function updateRecord(
  record: ServerRecord,
  changes: Pick<ServerRecord, 'port' | 'postmasterPid'>,
): ServerRecord {
  const updated = { ...record, ...changes };
  writeRecord(updated);
  return updated;
}

export function removeRecord(id: string): void {
  rmSync(recordPath(id), { force: true });
}

function isServerRecord(value: unknown): value is ServerRecord {
  const r = value as Partial<ServerRecord> | null;
  return (
    typeof r?.id === 'string' &&
    typeof r.dataDir === 'string' &&
    typeof r.ownerPid === 'number' &&
    typeof r.ownerStartTime === 'string' &&
    (r.postmasterPid === null || typeof r.postmasterPid === 'number')
  );
}

/** Records written by our own user only: the folder is shared, and another user's file is not to be trusted. */
export function readRecords(): ServerRecord[] {
  let names: string[];
  try {
    names = readdirSync(REGISTRY_DIR).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  const records: ServerRecord[] = [];
  for (const name of names) {
    const file = path.join(REGISTRY_DIR, name);
    try {
      if (statSync(file).uid !== process.getuid?.()) continue;
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (isServerRecord(parsed) && `${parsed.id}.json` === name) records.push(parsed);
    } catch {
      // removed meanwhile by its owner, or unreadable: not ours to handle
    }
  }
  return records;
}

/** The process that started the server is still the same live process. */
export function isOwnerRunning(record: ServerRecord): boolean {
  return isRunning(record.ownerPid) && processStartTime(record.ownerPid) === record.ownerStartTime;
}
