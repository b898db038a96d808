import { gauge } from '../define';
import { CollectorDefinition } from '../types';

/** Workload loop, every server: locks held and awaited, by mode. */
export const locksDefinition: CollectorDefinition = {
  name: 'locks',
  loop: 'workload',
  description: 'Locks held and awaited by lock mode, all databases (pg_locks)',
  queries: ['locks'],
  metrics: [
    gauge(
      'pg_locks',
      'Locks by mode (AccessShareLock ... AccessExclusiveLock) and whether granted (false: awaited)',
      'short',
      ['mode', 'granted'],
    ),
  ],
};
