/* global setInterval */
// A stand-in backend for the crash test: writes observations through the compiled history store
// (backend/dist) as fast as a busy collector would, until it is killed. Prints a line after each
// flush it sees complete, so the test knows writes are under way.
//   node test/store/continuous-writer.cjs <store url>
const path = require('node:path');
const dist = path.resolve(__dirname, '..', '..', 'backend', 'dist');
const { openStore } = require(path.join(dist, 'store', 'index.js'));
const { loadConfig } = require(path.join(dist, 'config', 'load.js'));
const pino = require('pino');
const { Registry } = require('prom-client');

async function main() {
  const { config } = loadConfig({
    env: {
      PGG_STORE_URL: process.argv[2],
      PGG_STORE__FLUSH_INTERVAL_MS: '50',
      PGG_STORE__BATCH_MAX_ROWS: '500',
    },
  });
  const store = await openStore(config, pino({ level: 'warn' }), new Registry());
  let cycle = 0;
  let lastFlushAt;
  setInterval(() => {
    const time = Date.now();
    cycle++;
    // 200 series, and a new one every cycle, so that series are being created when the kill lands
    const samples = Array.from({ length: 200 }, (_, i) => ({
      metric: 'crash_test',
      labels: { i: String(i) },
      value: time,
    }));
    samples.push({ metric: 'crash_new', labels: { cycle: String(cycle) }, value: cycle });
    store.writer.write({ target: 'crash', collector: 'test', loop: 'hot', time, samples, snapshots: [] });
    const status = store.writer.status();
    if (status.lastFlushAt !== lastFlushAt) {
      lastFlushAt = status.lastFlushAt;
      process.stdout.write(`flushed ${cycle}\n`);
    }
  }, 5);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
