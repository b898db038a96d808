import { findAlert } from '../../catalog/alerts';
import { loadConfig } from '../../config/load';
import { Steps } from './panels';
import * as steps from './steps';

const ALL_STEPS = Object.entries(steps).filter(
  (entry): entry is [string, Steps] => Array.isArray(entry[1]) && typeof entry[1][0] === 'string',
);

const values = (s: Steps) => s.slice(1).map((step) => (step as [number, string])[0]);

it('finds the shared steps', () => {
  expect(ALL_STEPS.map(([name]) => name)).toEqual(
    expect.arrayContaining(['CONNECTION_USAGE', 'TRANSACTION_AGE', 'LOCK_WAIT', 'ANY', 'UP']),
  );
});

// Grafana matches the highest step at or below the value: steps out of order colour wrongly.
it.each(ALL_STEPS)('%s rises step by step', (_name, s) => {
  const v = values(s);
  expect(v).toEqual([...v].sort((a, b) => a - b));
  expect(new Set(v).size).toBe(v.length);
});

it("CONNECTION_USAGE is the governor's default levels", () => {
  const { warn, optimize, critical } = loadConfig({ env: {} }).config.defaults.governor.thresholds;
  expect(steps.CONNECTION_USAGE).toEqual([
    'green',
    [warn, 'yellow'],
    [optimize, 'orange'],
    [critical, 'red'],
  ]);
});

it.each([
  ['TRANSACTION_AGE', 'long_transaction'],
  ['IDLE_IN_TRANSACTION_AGE', 'idle_in_transaction'],
  ['LOCK_WAIT', 'blocking_locks'],
  ['REPLICATION_LAG', 'replication_lag'],
  ['WRAPAROUND', 'xid_wraparound'],
  ['DEAD_RATIO', 'dead_tuples'],
] as const)("%s is alert %s's default levels, the highest red", (name, alertId) => {
  const alert = findAlert(alertId);
  const levels = [alert?.levels.info, alert?.levels.warning, alert?.levels.critical].flatMap((l) =>
    l ? [l.threshold] : [],
  );
  const s = steps[name];
  expect(s[0]).toBe('green');
  expect(values(s)).toEqual(levels);
  expect(s.slice(1).map((step) => (step as [number, string])[1])).toEqual(
    levels.map((_, i) => (i === levels.length - 1 ? 'red' : 'orange')),
  );
});
