// The compose workload: the backend's demo workload (idle, active, idle-in-transaction and
// lock-waiting sessions, reports, a task queue) against WORKLOAD_URL, until stopped.
'use strict';
const { setTimeout: sleep } = require('node:timers/promises');
const { startDemoWorkload } = require('/app/backend/dist/demo/workload');

const log = {
  info: (obj, msg) => console.log(JSON.stringify({ level: 'info', msg, ...obj })),
  warn: (obj, msg) => console.log(JSON.stringify({ level: 'warn', msg, ...obj })),
};

async function main() {
  const url = process.env.WORKLOAD_URL;
  if (!url) throw new Error('WORKLOAD_URL is not set');
  const scale = Number(process.env.WORKLOAD_SCALE || '1');
  // The database may still be starting: retry the setup for a while.
  for (let attempt = 1; ; attempt++) {
    try {
      const workload = await startDemoWorkload({ url, log, scale });
      const stop = () => workload.stop().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      return;
    } catch (error) {
      if (attempt >= 30) throw error;
      log.warn({ attempt, error: error.message }, 'workload: database not ready, retrying');
      await sleep(2000);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
