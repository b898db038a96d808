import { Check } from '../types';
import { nestedView, partialIndexCandidate } from './design';
import { xminHorizon } from './horizon';
import { duplicateIndex, indexBloat, invalidIndex, unusedIndex } from './indexes';
import { inactiveReplicationSlot, logicalDecodingSpill } from './replication';
import { disabledTrigger, sequenceExhaustion } from './schema';
import {
  schemaCreateForPublic,
  securityDefinerSearchPath,
  tooManySuperusers,
  unencryptedConnections,
} from './security';
import { frequentCheckpoints, settingsPendingRestart, tempSpill } from './server';
import { blockingChain, idleInTransaction, longRunningQuery } from './sessions';
import {
  subscriptionConflicts,
  subscriptionDown,
  subscriptionErrors,
  subscriptionSyncStuck,
} from './subscriptions';
import { settingsSanity } from './settings-sanity';
import { statementRegression } from './statement-regression';
import { deadTuples, staleStatistics, tableBloat } from './vacuum';
import { vacuumIndexPasses } from './vacuum-index-passes';
import { mxidWraparound, xidWraparound } from './wraparound';

/** The check of every finding kind of the catalog, by kind id (checks.test.ts holds the two together). */
export const CHECKS: Readonly<Record<string, Check>> = {
  xmin_horizon: xminHorizon,
  idle_in_transaction: idleInTransaction,
  long_running_query: longRunningQuery,
  blocking_chain: blockingChain,
  statement_regression: statementRegression,
  inactive_replication_slot: inactiveReplicationSlot,
  subscription_down: subscriptionDown,
  subscription_errors: subscriptionErrors,
  subscription_conflicts: subscriptionConflicts,
  subscription_sync_stuck: subscriptionSyncStuck,
  logical_decoding_spill: logicalDecodingSpill,
  xid_wraparound: xidWraparound,
  mxid_wraparound: mxidWraparound,
  dead_tuples: deadTuples,
  table_bloat: tableBloat,
  stale_statistics: staleStatistics,
  vacuum_index_passes: vacuumIndexPasses,
  unused_index: unusedIndex,
  invalid_index: invalidIndex,
  duplicate_index: duplicateIndex,
  index_bloat: indexBloat,
  disabled_trigger: disabledTrigger,
  sequence_exhaustion: sequenceExhaustion,
  frequent_checkpoints: frequentCheckpoints,
  temp_spill: tempSpill,
  settings_pending_restart: settingsPendingRestart,
  nested_view: nestedView,
  partial_index_candidate: partialIndexCandidate,
  schema_create_for_public: schemaCreateForPublic,
  too_many_superusers: tooManySuperusers,
  security_definer_search_path: securityDefinerSearchPath,
  unencrypted_connections: unencryptedConnections,
  settings_sanity: settingsSanity,
};
