import { CHECKPOINT_ALERTS } from './catalog/checkpoints';
import { CONNECTION_ALERTS } from './catalog/connections';
import { GOVERNOR_ALERTS } from './catalog/governor';
import { PGBOUNCER_ALERTS } from './catalog/pgbouncer';
import { REPLICATION_ALERTS } from './catalog/replication';
import { SELF_MONITORING_ALERTS } from './catalog/self-monitoring';
import { SESSION_ALERTS } from './catalog/sessions';
import { STORAGE_ALERTS } from './catalog/storage';
import { SURGE_ALERTS } from './catalog/surges';
import { VACUUM_ALERTS } from './catalog/vacuum';
import { WRAPAROUND_ALERTS } from './catalog/wraparound';
import { AlertDefinition } from './types';

/**
 * Every alert PG Governor knows, as data: the backend evaluates it, and the Prometheus and Grafana
 * rule files are generated from it (npm run alerts:generate). Order: the order of the rule files.
 */
export const ALERT_CATALOG: readonly AlertDefinition[] = [
  ...CONNECTION_ALERTS,
  ...SESSION_ALERTS,
  ...VACUUM_ALERTS,
  ...WRAPAROUND_ALERTS,
  ...CHECKPOINT_ALERTS,
  ...SURGE_ALERTS,
  ...REPLICATION_ALERTS,
  ...STORAGE_ALERTS,
  ...PGBOUNCER_ALERTS,
  ...GOVERNOR_ALERTS,
  ...SELF_MONITORING_ALERTS,
];

export function findAlert(id: string): AlertDefinition | undefined {
  return ALERT_CATALOG.find((a) => a.id === id);
}
