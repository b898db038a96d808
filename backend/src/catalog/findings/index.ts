import { DESIGN_FINDINGS } from './design';
import { HORIZON_FINDINGS } from './horizon';
import { INDEX_FINDINGS } from './indexes';
import { REPLICATION_FINDINGS } from './replication';
import { SCHEMA_FINDINGS } from './schema';
import { SECURITY_FINDINGS } from './security';
import { SERVER_FINDINGS } from './server';
import { SESSION_FINDINGS } from './sessions';
import { STATEMENT_FINDINGS } from './statements';
import { SUBSCRIPTION_FINDINGS } from './subscriptions';
import { FindingKind } from './types';
import { VACUUM_FINDINGS } from './vacuum';

/** Every finding kind the checks diagnose, in the order the docs and the API list them. */
export const FINDING_KINDS: readonly FindingKind[] = [
  ...HORIZON_FINDINGS,
  ...SESSION_FINDINGS,
  ...STATEMENT_FINDINGS,
  ...REPLICATION_FINDINGS,
  ...SUBSCRIPTION_FINDINGS,
  ...VACUUM_FINDINGS,
  ...INDEX_FINDINGS,
  ...SCHEMA_FINDINGS,
  ...SERVER_FINDINGS,
  ...DESIGN_FINDINGS,
  ...SECURITY_FINDINGS,
];

export type { FindingCategory, FindingInput, FindingKind, FindingParam, RowCounters } from './types';
export { rowCounterMetric } from './types';
