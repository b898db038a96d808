import { activityDefinition } from './activity';
import { archiverDefinition } from './archiver';
import { canaryDefinition } from './canary';
import { checkpointsDefinition } from './checkpoints';
import { connectionEncryptionDefinition } from './connection-encryption';
import { databaseStatsDefinition } from './database-stats';
import { ioStatsDefinition } from './io-stats';
import { locksDefinition } from './locks';
import { partitionsDefinition } from './partitions';
import { pgbouncerDefinition } from './pgbouncer';
import { recommendationsDefinition } from './recommendations';
import { relationsDefinition } from './relations';
import { replicationDefinition, standbyDefinition } from './replication';
import { schemaHealthDefinition } from './schema-health';
import { serverControlDefinition } from './server-control';
import { sequencesDefinition } from './sequences';
import { settingsDefinition } from './settings';
import { sharedCatalogChecksumsDefinition } from './shared-catalog-checksums';
import { statementsDefinition } from './statements';
import { statisticsHealthDefinition } from './statistics-health';
import { subscriptionsDefinition } from './subscriptions';
import { tableFreshnessDefinition } from './table-freshness';
import { tempPulseDefinition } from './temp-pulse';
import { unusedIndexesDefinition } from './unused-indexes';
import { vacuumProgressDefinition } from './vacuum-progress';
import { walDefinition } from './wal';
import { wraparoundDefinition } from './wraparound';
import { xminHorizonDefinition } from './xmin-horizon';
import { CollectorDefinition } from '../types';

/** Every built-in collector, in the order a loop runs them (collectors/index.ts runs them so). */
export const COLLECTOR_DEFINITIONS: readonly CollectorDefinition[] = [
  activityDefinition,
  statementsDefinition,
  relationsDefinition,
  unusedIndexesDefinition,
  schemaHealthDefinition,
  sequencesDefinition,
  partitionsDefinition,
  replicationDefinition,
  standbyDefinition,
  subscriptionsDefinition,
  xminHorizonDefinition,
  wraparoundDefinition,
  statisticsHealthDefinition,
  recommendationsDefinition,
  settingsDefinition,
  databaseStatsDefinition,
  sharedCatalogChecksumsDefinition,
  tempPulseDefinition,
  connectionEncryptionDefinition,
  vacuumProgressDefinition,
  canaryDefinition,
  checkpointsDefinition,
  walDefinition,
  ioStatsDefinition,
  archiverDefinition,
  serverControlDefinition,
  locksDefinition,
  tableFreshnessDefinition,
  pgbouncerDefinition,
];
