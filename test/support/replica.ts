import {
  chownSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { binariesDir, EmbeddedPostgres } from '../../backend/src/embedded/postgres-server';
import { eventually } from './backend-process';
import { installExitCleanup } from './exit-cleanup';
import { reapServer } from './reap-server';
import { createDataDir } from './scratch-dir';
import { recordServer, removeRecord, updateRecord } from './server-registry';
import { TestPostgres } from './test-postgres';

/**
 * A streaming hot standby of a harness server, for replication tests. The binaries packages ship
 * initdb, pg_ctl and postgres but no pg_basebackup, so this takes a low-level (non-exclusive) base
 * backup itself: backup start, copy of the data folder, backup stop, backup_label from its result,
 * standby.signal and primary_conninfo; then the copy starts as a standby of the primary.
 * The standby streams through a physical slot created before the backup, so the primary keeps the
 * WAL from the backup's start onwards however long the copy takes (pg_wal itself is not copied).
 */
export interface ReplicaOptions {
  /** application_name of the walreceiver: the standby's name in pg_stat_replication. Default 'replica1'. */
  applicationName?: string;
  /** Physical slot on the primary the standby streams from. Default 'replica1_slot'. */
  slotName?: string;
}

type Settings = Record<string, string | number | boolean>;

/** Folders whose contents a base backup leaves out (the server recreates them), as pg_basebackup does. */
const EMPTIED_DIRS = new Set([
  'pg_wal',
  'pg_dynshmem',
  'pg_notify',
  'pg_replslot',
  'pg_serial',
  'pg_snapshots',
  'pg_stat_tmp',
  'pg_subtrans',
]);
/** Files of the running primary that must not reach the copy. */
const SKIPPED_FILES = new Set([
  'postmaster.pid',
  'postmaster.opts',
  'backup_label',
  'backup_label.old',
  'tablespace_map',
  'current_logfiles',
  'pg_internal.init',
]);

interface Owner {
  uid: number;
  gid: number;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Recursive copy of a live data folder: files that vanish meanwhile (temp files) are skipped. */
function copyDataDir(from: string, to: string, owner: Owner | undefined, top = true): void {
  let entries;
  try {
    entries = readdirSync(from, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  for (const entry of entries) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith('pgsql_tmp')) continue;
      mkdirSync(target, { mode: 0o700 });
      if (owner) chownSync(target, owner.uid, owner.gid);
      if (!(top && EMPTIED_DIRS.has(entry.name))) copyDataDir(source, target, owner, false);
    } else if (entry.isFile() && !SKIPPED_FILES.has(entry.name)) {
      try {
        copyFileSync(source, target);
      } catch (error) {
        if (isMissing(error)) continue;
        throw error;
      }
      if (owner) chownSync(target, owner.uid, owner.gid);
    }
  }
}

function writeOwnedFile(file: string, content: string, owner: Owner | undefined): void {
  writeFileSync(file, content, { mode: 0o600 });
  if (owner) chownSync(file, owner.uid, owner.gid);
}

/** A string for postgresql.conf: single-quoted, quotes doubled. */
const confString = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The settings a standby must share with its primary (hot standby refuses lower limits), plus the harness's. */
async function standbySettings(primary: TestPostgres): Promise<Settings> {
  const rows = await primary.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings
      WHERE name IN ('max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions',
                     'max_locks_per_transaction', 'shared_preload_libraries', 'track_io_timing', 'fsync',
                     'synchronous_commit', 'full_page_writes', 'autovacuum')`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
}

/** initdb's default pg_hba.conf allows host replication from 127.0.0.1; add it when a server's does not. */
async function allowLoopbackReplication(primary: TestPostgres, owner: Owner | undefined): Promise<void> {
  const hba = path.join(primary.server.dataDir, 'pg_hba.conf');
  if (/^host\s+replication\s+all\s+127\.0\.0\.1\/32\s/m.test(readFileSync(hba, 'utf8'))) return;
  appendFileSync(hba, '\nhost replication all 127.0.0.1/32 scram-sha-256\n');
  if (owner) chownSync(hba, owner.uid, owner.gid);
  await primary.query('SELECT pg_reload_conf()');
}

/** Non-exclusive backup on one session: the copy runs between start and stop. Returns backup_label and tablespace_map. */
async function baseBackup(
  primary: TestPostgres,
  copy: () => void,
): Promise<{ labelfile: string; spcmapfile: string }> {
  const session = new Client({ connectionString: primary.superuserUrl });
  await session.connect();
  try {
    if (primary.major >= 15) await session.query("SELECT pg_backup_start('pgg-test', true)");
    else await session.query("SELECT pg_start_backup('pgg-test', true, false)");
    copy();
    const stop =
      primary.major >= 15
        ? 'SELECT labelfile, spcmapfile FROM pg_backup_stop(false)'
        : 'SELECT labelfile, spcmapfile FROM pg_stop_backup(false, false)';
    const row = (await session.query<{ labelfile: string; spcmapfile: string | null }>(stop)).rows[0];
    if (!row) throw new Error('backup stop returned no row');
    return { labelfile: row.labelfile, spcmapfile: row.spcmapfile ?? '' };
  } finally {
    await session.end().catch(() => undefined);
  }
}

/**
 * Starts a hot standby streaming from `primary` and waits until the primary reports it streaming
 * and it has replayed a transaction committed after it connected (so pg_last_xact_replay_timestamp
 * is set). destroy() it before the primary.
 */
export async function startReplica(
  primary: TestPostgres,
  options: ReplicaOptions = {},
): Promise<TestPostgres> {
  const applicationName = options.applicationName ?? 'replica1';
  const slotName = options.slotName ?? 'replica1_slot';
  const primaryData = statSync(primary.server.dataDir);
  const owner = process.getuid?.() === 0 ? { uid: primaryData.uid, gid: primaryData.gid } : undefined;
  const password = decodeURIComponent(new URL(primary.superuserUrl).password);

  await allowLoopbackReplication(primary, owner);
  await primary.query('SELECT pg_create_physical_replication_slot($1, true)', [slotName]);

  const dataDir = createDataDir();
  let record = recordServer(dataDir, primary.major);
  installExitCleanup();
  try {
    if (owner) chownSync(dataDir, owner.uid, owner.gid);
    const backup = await baseBackup(primary, () => copyDataDir(primary.server.dataDir, dataDir, owner));
    // The server recreates pg_wal's subfolders on 15+, not on 14: make them as pg_basebackup does.
    for (const dir of ['pg_wal/archive_status', ...(primary.major >= 17 ? ['pg_wal/summaries'] : [])]) {
      const full = path.join(dataDir, dir);
      mkdirSync(full, { recursive: true, mode: 0o700 });
      if (owner) chownSync(full, owner.uid, owner.gid);
    }
    writeOwnedFile(path.join(dataDir, 'backup_label'), backup.labelfile, owner);
    if (backup.spcmapfile) writeOwnedFile(path.join(dataDir, 'tablespace_map'), backup.spcmapfile, owner);
    writeOwnedFile(path.join(dataDir, 'standby.signal'), '', owner);
    const conninfo = `host=127.0.0.1 port=${primary.port} user=${primary.server.superuser} password=${password} application_name=${applicationName}`;
    appendFileSync(
      path.join(dataDir, 'postgresql.auto.conf'),
      `primary_conninfo = ${confString(conninfo)}\nprimary_slot_name = ${confString(slotName)}\n`,
    );

    const server = new EmbeddedPostgres({
      binDir: binariesDir(`pg-bin-${primary.major}`),
      dataDir,
      password,
      settings: await standbySettings(primary),
    });
    await server.start();
    record = updateRecord(record, { port: server.port, postmasterPid: server.pid ?? null });
    const standby = new TestPostgres(server, primary.major, record);

    await eventually(
      async () => {
        const rows = await primary.query(
          "SELECT 1 FROM pg_stat_replication WHERE application_name = $1 AND state = 'streaming'",
          [applicationName],
        );
        return rows.length === 1 ? true : undefined;
      },
      30_000,
      `${applicationName} streaming`,
    );
    await primary.query('SELECT txid_current()');
    await waitForReplay(primary, standby);
    return standby;
  } catch (error) {
    reapServer(record);
    removeRecord(record.id);
    throw error;
  }
}

/** Waits until the standby has replayed everything the primary has written so far. */
export async function waitForReplay(
  primary: TestPostgres,
  standby: TestPostgres,
  timeoutMs = 30_000,
): Promise<void> {
  const lsn = (await primary.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn'))[0]
    ?.lsn;
  await eventually(
    async () => {
      const rows = await standby.query<{ done: boolean }>(
        'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done',
        [lsn],
      );
      return rows[0]?.done ? true : undefined;
    },
    timeoutMs,
    `standby replay up to ${lsn}`,
  );
}
