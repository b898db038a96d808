import { ARCHIVING_ALERTS } from './archiving';
import { CANARY_ALERTS } from './canary';
import { CHECKPOINT_ALERTS } from './checkpoints';
import { CONNECTION_ALERTS } from './connections';
import { DATA_CHECKSUM_ALERTS } from './data-checksums';
import { FINDING_ALERTS } from './findings';
import { GOVERNOR_ALERTS } from './governor';
import { PGBOUNCER_ALERTS } from './pgbouncer';
import { REPLICATION_ALERTS } from './replication';
import { SELF_MONITORING_ALERTS } from './self-monitoring';
import { SESSION_ALERTS } from './sessions';
import { STORAGE_ALERTS } from './storage';
import { SURGE_ALERTS } from './surges';
import { VACUUM_ALERTS } from './vacuum';
import { WRAPAROUND_ALERTS } from './wraparound';
import { SCRAPE_ALERTS } from './scrape';
import { AlertDefinition, ScrapeAlertDefinition } from './types';

/**
 * Every alert PG Governor knows, as data: the backend evaluates it, and the Prometheus and Grafana
 * rule files are generated from it (npm run alerts:generate). Order: the order of the rule files.
 */
export const ALERT_CATALOG: readonly AlertDefinition[] = [
  ...CONNECTION_ALERTS,
  ...SESSION_ALERTS,
  ...CANARY_ALERTS,
  ...VACUUM_ALERTS,
  ...WRAPAROUND_ALERTS,
  ...CHECKPOINT_ALERTS,
  ...SURGE_ALERTS,
  ...REPLICATION_ALERTS,
  ...ARCHIVING_ALERTS,
  ...STORAGE_ALERTS,
  ...DATA_CHECKSUM_ALERTS,
  ...FINDING_ALERTS,
  ...PGBOUNCER_ALERTS,
  ...GOVERNOR_ALERTS,
  ...SELF_MONITORING_ALERTS,
];

export { SCRAPE_ALERTS };

/**
 * Every alert the configuration knows (alerts.rules.<id>): the catalog, which the backend
 * evaluates, and the alerts on the backend's own scrape, which only the rule files carry.
 */
export const CONFIGURABLE_ALERTS: readonly (AlertDefinition | ScrapeAlertDefinition)[] = [
  ...ALERT_CATALOG,
  ...SCRAPE_ALERTS,
];

export function findAlert(id: string): AlertDefinition | undefined {
  return ALERT_CATALOG.find((a) => a.id === id);
}
