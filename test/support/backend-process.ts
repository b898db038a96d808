import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import path from 'node:path';
import { stopStalePostmaster } from '../../backend/src/embedded/stale-postmaster';
import { createDataDir } from './scratch-dir';

export const BACKEND_MAIN = path.resolve(__dirname, '..', '..', 'backend', 'dist', 'main.js');

/**
 * The environment of a backend under test: nothing inherited that could configure it by accident.
 * A backend under test is alone on its store unless a fleet test (test/fleet) says otherwise, so it
 * claims its targets at once rather than after the join window that replicas started together need.
 */
function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PGG_')));
  return { ...base, PGG_LOG_LEVEL: 'info', PGG_REPLICAS__JOIN_WINDOW_MS: '0', ...env };
}

/** A real backend process (the compiled service, as `npm start` runs it). */
export class BackendProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /** Data folder made for this process (embedded store, demo), deleted after it exits. */
  readonly dataDir: string | undefined;

  private constructor(args: string[], env: Record<string, string>) {
    // Without a data folder of its own, every backend under test would share ./data (and its store).
    this.dataDir = env.PGG_DATA_DIR === undefined ? createDataDir() : undefined;
    // Traversable: as root, the embedded servers run as `nobody` in folders below it.
    if (this.dataDir) chmodSync(this.dataDir, 0o755);
    this.child = spawn(process.execPath, [BACKEND_MAIN, ...args], {
      env: cleanEnv(this.dataDir ? { PGG_DATA_DIR: this.dataDir, ...env } : env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    ).then(async (result) => {
      await this.removeDataDir();
      return result;
    });
  }

  /** A backend killed with -9 leaves its embedded servers running: stop them, then delete the folder. */
  private async removeDataDir(): Promise<void> {
    if (!this.dataDir) return;
    for (const server of ['store', 'demo'])
      await stopStalePostmaster(path.join(this.dataDir, server, 'pgdata'));
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Runs to completion (e.g. --validate-config). */
  static async run(
    args: string[],
    env: Record<string, string> = {},
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const backend = new BackendProcess(args, env);
    const { code } = await backend.exited;
    return { code, stdout: backend.stdout, stderr: backend.stderr };
  }

  /** Starts the service and resolves with its base URL once it listens. */
  static async start(
    env: Record<string, string>,
    timeoutMs = 60_000,
  ): Promise<{ backend: BackendProcess; url: string }> {
    // Port 0: the OS picks a free port; the backend prints where it listens.
    const backend = new BackendProcess([], { PGG_HTTP_PORT: '0', ...env });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = /health (http:\/\/[^/\s]+)\/healthz/.exec(backend.stdout);
      if (match?.[1]) return { backend, url: match[1] };
      if (backend.child.exitCode !== null)
        throw new Error(`backend exited ${backend.child.exitCode}:\n${backend.stderr}\n${backend.stdout}`);
      if (Date.now() > deadline) {
        backend.child.kill('SIGKILL');
        throw new Error(`backend did not start in time:\n${backend.stdout}\n${backend.stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Sends a signal and waits for the exit, measuring how long it took. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; ms: number }> {
    const started = Date.now();
    if (this.child.exitCode === null) this.child.kill(signal);
    const { code } = await this.exited;
    return { code, ms: Date.now() - started };
  }

  /** Structured log lines (pino JSON on stdout). */
  logLines(): { msg?: string; level?: number; [key: string]: unknown }[] {
    return this.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; level?: number });
  }
}

/** Polls until check() returns a value (not undefined), or fails with the last observation. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface Readyz {
  status: number;
  body: {
    status: string;
    problems: string[];
    degraded?: string[];
    targets: { name: string; state: string; reason?: string; major?: number; pgStatStatements?: boolean }[];
  };
}

export async function readyz(url: string): Promise<Readyz> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as Readyz['body'] };
}

/** /readyz once the backend is ready and every target it runs is up (a down target does not fail readiness). */
export async function targetsUp(url: string, timeoutMs = 30_000): Promise<Readyz> {
  return eventually(
    async () => {
      const r = await readyz(url);
      return r.status === 200 && r.body.targets.length > 0 && r.body.targets.every((t) => t.state === 'up')
        ? r
        : undefined;
    },
    timeoutMs,
    '/readyz 200 with every target up',
  );
}
