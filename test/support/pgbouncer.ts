import { ChildProcess, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runInThisContext } from 'node:vm';
import { Client } from 'pg';
import { freeLoopbackPort } from '../../backend/src/embedded/postgres-server';
import { ensureScratchDirs, SCRATCH_ROOT } from './scratch-dir';

/** Debian's package (apt-get install pgbouncer); .ci/run installs it. */
export const PGBOUNCER_BINARY = '/usr/sbin/pgbouncer';

export interface PgBouncerUser {
  name: string;
  password: string;
}

export interface StartPgBouncerOptions {
  /** [databases] entries: name -> libpq-style connection string, e.g. 'host=127.0.0.1 port=5432 dbname=postgres'. */
  databases: Record<string, string>;
  /** Users of the auth_file (plain passwords: PgBouncer then speaks SCRAM to clients and to PostgreSQL). */
  users: PgBouncerUser[];
  /** admin_users: may use the admin console. Default: the first user. */
  adminUser?: string;
  /** More [pgbouncer] settings; they win over the defaults (pool_mode transaction, default_pool_size 2). */
  settings?: Record<string, string | number>;
}

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5000;

function lookupUser(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`PgBouncer refuses to run as root and there is no user "${name}" to run it as`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** auth_file line: "name" "password", a double quote doubled. */
const quoted = (value: string) => `"${value.replace(/"/g, '""')}"`;

/** Killed when the test process exits without stop() (a failing beforeAll); jest's `process` copy never runs 'exit' listeners. */
const running = new Set<TestPgBouncer>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  (runInThisContext('process') as NodeJS.Process).on('exit', () => {
    for (const bouncer of running) bouncer.killNow();
  });
}

/** A PgBouncer for one test file, on a free 127.0.0.1 port, config and auth file in a scratch folder. */
export class TestPgBouncer {
  private tail: string[] = [];

  constructor(
    readonly port: number,
    readonly dir: string,
    private readonly child: ChildProcess,
    private readonly admin: PgBouncerUser,
  ) {
    const keep = (chunk: Buffer) => {
      this.tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      this.tail = this.tail.slice(-40);
    };
    child.on('error', (error) => keep(Buffer.from(String(error))));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Through PgBouncer to a database of its [databases], or to its admin console (database pgbouncer). */
  url(database: string, user = this.admin.name, password = this.admin.password): string {
    return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${this.port}/${encodeURIComponent(database)}`;
  }

  get adminUrl(): string {
    return this.url('pgbouncer');
  }

  recentLog(): string {
    return this.tail.join('\n');
  }

  /** Immediate shutdown (SIGTERM), SIGKILL if it lingers. The folder stays for destroy(). */
  async stop(): Promise<void> {
    if (!this.running) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    running.delete(this);
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Synchronous, for the exit hook. */
  killNow(): void {
    if (this.running) this.child.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function waitReady(bouncer: TestPgBouncer): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (!bouncer.running) throw new Error(`pgbouncer exited at start:\n${bouncer.recentLog()}`);
    const client = new Client({ connectionString: bouncer.adminUrl });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SHOW VERSION');
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`pgbouncer did not accept connections: ${String(error)}\n${bouncer.recentLog()}`);
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts PgBouncer from the system package (it is not on npm). Fails, rather than skips, when the
 * package is missing: the PgBouncer collector is part of what the suite must prove. As root it runs
 * as `nobody` (PgBouncer refuses root), with its files handed to that user.
 */
export async function startPgBouncer(options: StartPgBouncerOptions): Promise<TestPgBouncer> {
  if (!existsSync(PGBOUNCER_BINARY)) {
    throw new Error(
      `${PGBOUNCER_BINARY} is missing: install PgBouncer (apt-get install -y --no-install-recommends pgbouncer; .ci/run does) to run the PgBouncer tests`,
    );
  }
  const admin = options.users.find((u) => u.name === (options.adminUser ?? options.users[0]?.name));
  if (!admin) throw new Error('startPgBouncer: the admin user must be one of the users');
  ensureScratchDirs();
  const dir = mkdtempSync(path.join(SCRATCH_ROOT, 'pgbouncer-'));
  const runAs = process.getuid?.() === 0 ? lookupUser('nobody') : undefined;
  try {
    const port = await freeLoopbackPort();
    const authFile = path.join(dir, 'userlist.txt');
    const iniFile = path.join(dir, 'pgbouncer.ini');
    writeFileSync(authFile, options.users.map((u) => `${quoted(u.name)} ${quoted(u.password)}\n`).join(''), {
      mode: 0o600,
    });
    const settings: Record<string, string | number> = {
      listen_addr: '127.0.0.1',
      listen_port: port,
      // No Unix socket: /var/run/postgresql may not exist or be writable.
      unix_socket_dir: '',
      auth_type: 'scram-sha-256',
      auth_file: authFile,
      admin_users: admin.name,
      pool_mode: 'transaction',
      default_pool_size: 2,
      reserve_pool_size: 0,
      max_client_conn: 100,
      ...options.settings,
    };
    const ini = [
      '[databases]',
      ...Object.entries(options.databases).map(([name, connection]) => `${name} = ${connection}`),
      '[pgbouncer]',
      ...Object.entries(settings).map(([key, value]) => `${key} = ${value}`),
      '',
    ].join('\n');
    writeFileSync(iniFile, ini, { mode: 0o600 });
    if (runAs) for (const file of [dir, authFile, iniFile]) chownSync(file, runAs.uid, runAs.gid);
    // Not daemonized (no -d): it stays our child, logs to stderr, and dies with SIGTERM.
    const child = spawn(PGBOUNCER_BINARY, [iniFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
      ...(runAs ?? {}),
    });
    const bouncer = new TestPgBouncer(port, dir, child, admin);
    installExitHook();
    running.add(bouncer);
    try {
      await waitReady(bouncer);
    } catch (error) {
      await bouncer.destroy();
      throw error;
    }
    return bouncer;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
