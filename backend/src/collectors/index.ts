import { activityCollector } from './activity';
import { statementsCollector } from './statements';
import { partitionsCollector } from './partitions';
import { relationsCollector } from './relations';
import { replicationCollector, standbyCollector } from './replication';
import { settingsCollector } from './settings';
import { statisticsHealthCollector } from './statistics-health';
import { wraparoundCollector } from './wraparound';
import { databaseStatsCollector } from './database-stats';
import { sharedCatalogChecksumsCollector } from './shared-catalog-checksums';
import { tempPulseCollector } from './temp-pulse';
import { vacuumProgressCollector } from './vacuum-progress';
import { checkpointsCollector } from './checkpoints';
import { connectionEncryptionCollector } from './connection-encryption';
import { recommendationsCollector } from './recommendations';
import { walCollector } from './wal';
import { ioStatsCollector } from './io-stats';
import { archiverCollector } from './archiver';
import { canaryCollector } from './canary';
import { serverControlCollector } from './server-control';
import { locksCollector } from './locks';
import { tableFreshnessCollector } from './table-freshness';
import { pgbouncerCollector } from './pgbouncer';
import { Collector } from './types';
import { unusedIndexesCollector } from './unused-indexes';
import { schemaHealthCollector } from './schema-health';
import { sequencesCollector } from './sequences';
import { subscriptionsCollector } from './subscriptions';
import { xminHorizonCollector } from './xmin-horizon';

/** Every collector the backend runs, in the order a loop runs them. */
export const ALL_COLLECTORS: Collector[] = [
  activityCollector,
  statementsCollector,
  relationsCollector,
  unusedIndexesCollector,
  schemaHealthCollector,
  sequencesCollector,
  partitionsCollector,
  replicationCollector,
  standbyCollector,
  subscriptionsCollector,
  xminHorizonCollector,
  wraparoundCollector,
  statisticsHealthCollector,
  recommendationsCollector,
  settingsCollector,
  databaseStatsCollector,
  sharedCatalogChecksumsCollector,
  tempPulseCollector,
  connectionEncryptionCollector,
  vacuumProgressCollector,
  canaryCollector,
  checkpointsCollector,
  walCollector,
  ioStatsCollector,
  archiverCollector,
  serverControlCollector,
  locksCollector,
  tableFreshnessCollector,
  pgbouncerCollector,
];
