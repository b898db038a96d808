/* global process, URL */
// A throwaway PostgreSQL for a benchmark: embedded binaries from the root devDependencies
// (pg-bin-<major>), a fresh data folder, durability off. Uses the compiled backend (npm run build).
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A module of the compiled backend, e.g. dist('collectors/context.js'). */
export const dist = (module) => new URL(`../../backend/dist/${module}`, import.meta.url).href;

const { binariesDir, EmbeddedPostgres } = await import(dist('embedded/postgres-server.js'));

/**
 * Starts a server; `settings` win over the defaults; `onLog` receives its log lines. Returns the
 * EmbeddedPostgres (url(db), port); call its destroy() when done. Ctrl-C removes it too.
 */
export async function startBenchServer({ major = 18, settings = {}, onLog } = {}) {
  const server = new EmbeddedPostgres({
    binDir: binariesDir(`pg-bin-${major}`),
    dataDir: mkdtempSync(path.join(tmpdir(), 'pgg-bench-')),
    password: randomBytes(18).toString('base64url'),
    settings: {
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: 20,
      ...settings,
    },
    ...(onLog ? { onLog } : {}),
  });
  const onSignal = () => void server.destroy().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  const destroy = server.destroy.bind(server);
  server.destroy = async () => {
    process.removeListener('SIGINT', onSignal);
    await destroy();
  };
  await server.start();
  return server;
}
