import { findAlert } from '../../catalog/alerts';
import { SEVERITIES } from '../../catalog/alerts/types';
import { Steps } from './panels';

/** Threshold steps shared by several panels, from the product's defaults. */

/** An alert's default levels as steps: green below, its highest level red, lower levels orange. */
function alertSteps(id: string): Steps {
  const alert = findAlert(id);
  if (!alert) throw new Error(`dashboard thresholds: alert ${id} is not in the catalog`);
  const thresholds = SEVERITIES.flatMap((severity) => {
    const level = alert.levels[severity];
    return level ? [level.threshold] : [];
  });
  return [
    'green',
    ...thresholds.map((t, i): [number, string] => [t, i === thresholds.length - 1 ? 'red' : 'orange']),
  ];
}

/** The governor's default levels (warn 0.70, optimize 0.85, critical 0.95 of the usable maximum). */
export const CONNECTION_USAGE: Steps = ['green', [0.7, 'yellow'], [0.85, 'orange'], [0.95, 'red']];
/** Long transaction alert (5 min warning, 30 min critical). */
export const TRANSACTION_AGE = alertSteps('long_transaction');
/** Idle-in-transaction alert (2 min warning, 15 min critical). */
export const IDLE_IN_TRANSACTION_AGE = alertSteps('idle_in_transaction');
/** Blocking locks alert (30 s warning, 120 s critical). */
export const LOCK_WAIT = alertSteps('blocking_locks');
/** Replication lag alert (30 s warning, 300 s critical). */
export const REPLICATION_LAG = alertSteps('replication_lag');
/** Wraparound alert (50 % and 75 % of the limit). */
export const WRAPAROUND = alertSteps('xid_wraparound');
/** Dead-tuple backlog alert (more than 20 % dead). */
export const DEAD_RATIO = alertSteps('dead_tuples');
/** Canary round-trip alert (0.25 s warning, 1 s critical). */
export const CANARY_LATENCY = alertSteps('canary_latency');
/** WAL archive backlog alert (10 .ready files warning, 15 critical, as check_postgres). */
export const ARCHIVE_BACKLOG = alertSteps('wal_archive_backlog');
/** WAL archive delay alert (15 min warning, 1 h critical). */
export const ARCHIVE_DELAY = alertSteps('wal_archive_delay');
/** Anything above zero is worth a look (waiting clients, open circuit, ...). */
export const ANY: Steps = ['green', [1, 'red']];
export const UP: Steps = ['red', [1, 'green']];

export const UP_MAPPINGS = [
  { value: 0, text: 'down', color: 'red' },
  { value: 1, text: 'up', color: 'green' },
];
