import { Steps } from './panels';

/** Threshold steps shared by several panels, from the product's defaults. */

/** The governor's default levels (warn 0.70, optimize 0.85, critical 0.95 of the usable maximum). */
export const CONNECTION_USAGE: Steps = ['green', [0.7, 'yellow'], [0.85, 'orange'], [0.95, 'red']];
/** Long transaction alert: 5 min warning, 30 min critical. */
export const TRANSACTION_AGE: Steps = ['green', [300, 'orange'], [1800, 'red']];
/** Blocking locks alert: 30 s warning, 120 s critical. */
export const LOCK_WAIT: Steps = ['green', [30, 'orange'], [120, 'red']];
/** Replication lag alert: 30 s warning, 300 s critical. */
export const REPLICATION_LAG: Steps = ['green', [30, 'orange'], [300, 'red']];
/** Wraparound alert: 50 % and 75 % of the limit. */
export const WRAPAROUND: Steps = ['green', [0.5, 'orange'], [0.75, 'red']];
/** Dead-tuple backlog alert: more than 20 % dead. */
export const DEAD_RATIO: Steps = ['green', [0.2, 'red']];
/** Anything above zero is worth a look (waiting clients, open circuit, ...). */
export const ANY: Steps = ['green', [1, 'red']];
export const UP: Steps = ['red', [1, 'green']];

export const UP_MAPPINGS = [
  { value: 0, text: 'down', color: 'red' },
  { value: 1, text: 'up', color: 'green' },
];
