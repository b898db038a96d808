import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { EmbeddedPostgres, binariesDir } from '../backend/src/embedded/postgres-server';
import { runningPostmaster } from '../backend/src/embedded/stale-postmaster';
import { eventually } from './support/backend-process';
import { ensureScratchDirs, SCRATCH_ROOT } from './support/scratch-dir';

/**
 * The embedded servers (history store, demo) outlive a backend killed with -9. The next start on
 * the same data folder takes the orphan over; a server whose starter still lives is left alone.
 */
const DIST = path.resolve(__dirname, '..', 'backend', 'dist', 'embedded', 'postgres-server.js');
let dataDir: string;
const server = () =>
  new EmbeddedPostgres({
    binDir: binariesDir(),
    dataDir: path.join(dataDir, 'pgdata'),
    password: 'takeover',
  });

/** A node process that starts the server on dataDir and stays alive until killed. */
function owner() {
  const script = `const { EmbeddedPostgres, binariesDir } = require(${JSON.stringify(DIST)});
    const s = new EmbeddedPostgres({ binDir: binariesDir(), dataDir: ${JSON.stringify(path.join(dataDir, 'pgdata'))}, password: 'takeover' });
    s.start().then(() => console.log('started'), (e) => { console.error(e); process.exit(1); });
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return {
    child,
    started: () =>
      eventually(async () => (out.includes('started') ? true : undefined), 60_000, 'owner start'),
  };
}

beforeAll(() => {
  ensureScratchDirs();
  dataDir = mkdtempSync(path.join(SCRATCH_ROOT, 'takeover-'));
  chmodSync(dataDir, 0o755);
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('refuses a data folder whose server belongs to a live process, and takes it over once that process died', async () => {
  const first = owner();
  await first.started();
  const orphanPid = runningPostmaster(path.join(dataDir, 'pgdata'));
  expect(orphanPid).toBeDefined();

  await expect(server().start()).rejects.toThrow(/in use by a PostgreSQL .* another backend/);
  expect(runningPostmaster(path.join(dataDir, 'pgdata'))).toBe(orphanPid);

  first.child.kill('SIGKILL');
  await new Promise((resolve) => first.child.once('exit', resolve));
  const next = server();
  try {
    await next.start();
    expect(next.pid).not.toBe(orphanPid);
    expect(runningPostmaster(path.join(dataDir, 'pgdata'))).toBe(next.pid);
  } finally {
    await next.stop();
  }
});
