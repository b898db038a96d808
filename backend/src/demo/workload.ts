import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { cancelBackends } from './cancel-backends';
import { closeClient } from './client-close';
import { ensureDemoSchema } from './schema';
import { DemoSession } from './session';
import { WorkloadCounters } from './workload-counters';
import { WorkloadLog } from './workload-log';
import { planSessions } from './workload-plan';

export type { WorkloadLog } from './workload-log';

export interface DemoWorkload {
  /** Ends every session and closes every connection; resolves within a few seconds. Idempotent. */
  stop(): Promise<void>;
  /** Counters since start (connects, failures, statements, reports, tasks...) and live session numbers. */
  counts(): Record<string, number>;
}

export interface DemoWorkloadOptions {
  /** Database the workload owns (it creates the `demo` schema there); never a production target. */
  url: string;
  log: WorkloadLog;
  /** Multiplies the repeatable sessions (idle, OLTP, queue workers); 1 = 12 connections. */
  scale?: number;
}

/** How long stop() cancels and waits before it drops the connections that are left. */
const STOP_GRACE_MS = 3_000;
/** Cancel-then-wait rounds: a later round catches a statement sent just after the first cancel. */
const STOP_ROUND_MS = 1_000;

/** Resolves true when the promise settles within ms, false otherwise; leaves no timer behind. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const timeout = new AbortController();
  const expired = sleep(ms, false, { signal: timeout.signal }).catch(() => false);
  try {
    return await Promise.race([promise.then(() => true), expired]);
  } finally {
    timeout.abort();
  }
}

/**
 * The synthetic workload of the zero-config demo: sets up the demo schema, then keeps idle,
 * active, idle-in-transaction, lock-waiting and queue-worker sessions running so that every
 * dashboard and the governor have something to show. Sessions survive being terminated (by the
 * governor) and server restarts by reconnecting.
 */
export async function startDemoWorkload(opts: DemoWorkloadOptions): Promise<DemoWorkload> {
  const { url, log } = opts;
  const plan = planSessions(opts.scale ?? 1);

  const setup = new Client({
    connectionString: url,
    application_name: 'demo-batch',
    connectionTimeoutMillis: 10_000,
  });
  setup.on('error', () => undefined); // a failure surfaces through the awaited calls below
  try {
    await setup.connect();
    await ensureDemoSchema(setup);
  } finally {
    await closeClient(setup);
  }

  const counters = new WorkloadCounters();
  const stopController = new AbortController();
  // Every session listens for stop (one listener each), more than the default warning threshold of 10.
  setMaxListeners(plan.length + 10, stopController.signal);
  const env = { url, log, counters, stop: stopController.signal };
  const sessions = plan.map((spec) => new DemoSession(spec, env));
  const allClosed = Promise.all(sessions.map((session) => session.closed));
  log.info({ sessions: sessions.length, scale: opts.scale ?? 1 }, 'demo workload started');

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    const connectedPids = () =>
      sessions.map((s) => s.backendPid).filter((pid): pid is number => pid !== undefined);
    // Read before aborting: a session forgets its pid as soon as it winds down.
    let pids = connectedPids();
    stopController.abort();
    const deadline = Date.now() + STOP_GRACE_MS;
    while (Date.now() < deadline) {
      await cancelBackends(url, pids, log);
      pids = connectedPids();
      if (await settlesWithin(allClosed, STOP_ROUND_MS)) {
        log.info({ counts: counters.snapshot() }, 'demo workload stopped');
        return;
      }
    }
    const stuck = sessions.filter((s) => s.backendPid !== undefined).map((s) => s.name);
    log.warn({ sessions: stuck }, 'demo workload: sessions did not stop in time; dropping their connections');
    await Promise.all(sessions.map((s) => s.forceClose()));
    await settlesWithin(allClosed, STOP_ROUND_MS);
  };

  return {
    stop: () => (stopping ??= stop()),
    counts: () => ({
      ...counters.snapshot(),
      sessions: sessions.length,
      connected: sessions.filter((s) => s.backendPid !== undefined).length,
    }),
  };
}
