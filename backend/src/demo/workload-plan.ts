import { SessionSpec } from './session';
import { longIdle, recentlyUsedIdle } from './sessions/idle';
import { idleInTransaction } from './sessions/idle-in-transaction';
import { lockHolder, lockWaiter } from './sessions/lock-chain';
import { oltp } from './sessions/oltp';
import { report } from './sessions/report';
import { queueWorker } from './sessions/task-queue';

/** How many sessions of each repeatable kind run at scale 1 (the rest are singletons). */
const BASE = { recentlyUsedIdle: 2, longIdle: 2, oltp: 2, queueWorker: 2 } as const;

function times(count: number, make: (index: number) => SessionSpec): SessionSpec[] {
  return Array.from({ length: count }, (_, i) => make(i + 1));
}

/**
 * The sessions of the workload. At scale 1: 12 connections (4 idle, 2 OLTP, 1 report, 1 idle in
 * transaction, a holder and a waiter, 2 queue workers); scale multiplies the repeatable kinds.
 */
export function planSessions(scale: number): SessionSpec[] {
  if (!Number.isFinite(scale) || scale <= 0)
    throw new RangeError(`demo workload scale must be > 0, got ${scale}`);
  const count = (base: number) => Math.max(1, Math.round(base * scale));
  return [
    ...times(count(BASE.recentlyUsedIdle), (i) => ({
      name: `idle-${i}`,
      application: 'demo-web',
      body: recentlyUsedIdle,
    })),
    ...times(count(BASE.longIdle), (i) => ({
      name: `long-idle-${i}`,
      application: 'demo-web',
      body: longIdle,
    })),
    ...times(count(BASE.oltp), (i) => ({ name: `oltp-${i}`, application: 'demo-web', body: oltp })),
    { name: 'report', application: 'demo-report', body: report },
    { name: 'idle-in-transaction', application: 'demo-batch', body: idleInTransaction },
    { name: 'lock-holder', application: 'demo-batch', body: lockHolder },
    { name: 'lock-waiter', application: 'demo-web', body: lockWaiter },
    ...times(count(BASE.queueWorker), (i) => ({
      name: `queue-worker-${i}`,
      application: 'demo-worker',
      body: queueWorker,
    })),
  ];
}
