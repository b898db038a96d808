import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../backend/src/config/load';
import { openStore } from '../../backend/src/store';
import { ensureScratchDirs, SCRATCH_ROOT } from '../support/scratch-dir';
import { hourAgo, observation, quietLog, readSeries, registry } from './store-kit';

/**
 * Without store.url the backend keeps its history in an embedded PostgreSQL under
 * embedded.data_dir/store, which outlives the process: a second start finds the data.
 */
let dataDir: string;
beforeAll(() => {
  ensureScratchDirs();
  dataDir = mkdtempSync(path.join(SCRATCH_ROOT, 'store-'));
  chmodSync(dataDir, 0o755); // as root the server runs as `nobody`, which must get through
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('embedded history store', () => {
  it('starts under data_dir/store, keeps its password private, and keeps the data across restarts', async () => {
    const { config } = loadConfig({ env: { PGG_DATA_DIR: dataDir } });
    expect(config.store.url).toBeUndefined();
    const time = hourAgo(1);

    const first = await openStore(config, quietLog(), registry());
    try {
      first.writer.write(observation('embedded', time, [{ metric: 'pg_up', labels: {}, value: 1 }]));
      await first.writer.flush();
    } finally {
      await first.stop();
    }
    const passwordFile = path.join(dataDir, 'store', 'superuser-password');
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dataDir, 'store', 'pgdata', 'PG_VERSION')).isFile()).toBe(true);

    const second = await openStore(config, quietLog(), registry());
    try {
      expect(await second.reader.labelValues('target')).toEqual(['embedded']);
      const [series] = await readSeries(second.reader, {
        metric: 'pg_up',
        type: 'gauge',
        from: time,
        to: time,
        stepMs: 1000,
        aggregation: 'last',
      });
      expect(series?.points).toEqual([[time, 1]]);
    } finally {
      await second.stop();
    }
  });
});
