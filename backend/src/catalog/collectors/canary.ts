import { gauge } from '../define';
import { CollectorDefinition } from '../types';

/**
 * Hot loop: what a client feels. Two tiny statements timed by the backend on its target
 * connection: a trivial SELECT and an EXPLAIN ANALYZE of one pg_class row (planner and executor
 * on a catalog table). Runs on standbys too.
 */
export const canaryDefinition: CollectorDefinition = {
  name: 'canary',
  loop: 'hot',
  description:
    'Synthetic canary: round-trip time of SELECT 1 and of a tiny EXPLAIN (ANALYZE, BUFFERS) on pg_class, as the backend measures them, with the planning and execution time the plan reports',
  queries: ['canary-roundtrip', 'canary-explain'],
  metrics: [
    gauge(
      'pg_canary_roundtrip_seconds',
      'Round-trip time of SELECT 1 as the backend measures it (network, server, driver); a statement cut by the statement timeout counts as the time it took',
      's',
    ),
    gauge(
      'pg_canary_explain_seconds',
      'Round-trip time of EXPLAIN (ANALYZE, BUFFERS) SELECT 1 FROM pg_class LIMIT 1 as the backend measures it; a statement cut by the statement timeout counts as the time it took',
      's',
    ),
    gauge('pg_canary_planning_seconds', 'Planning time the canary EXPLAIN reports', 's'),
    gauge('pg_canary_execution_seconds', 'Execution time the canary EXPLAIN reports', 's'),
    gauge(
      'pg_canary_shared_blocks_read',
      'Shared blocks the canary EXPLAIN read from outside shared buffers (planning and execution): above zero, even pg_class was not cached',
      'short',
    ),
  ],
};
