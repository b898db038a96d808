import { maxBy, metric, rangeCall } from './ast';
import { AlertDefinition, FixtureCase, FixtureContext, Segment, Severity } from './types';
import { NO_DATA, sql, T } from './helpers';

const ROUNDTRIP = 'pg_canary_roundtrip_seconds';

/**
 * Round trips sampled once a minute (as the rule tests run): steady at each threshold and just
 * short of the warning one; slow spikes among fast samples (an average under the threshold: quiet,
 * where a rule on the instant value would fire); a slow server whose occasional fast sample does not
 * reset the alert (the average stays above the warning threshold, where an instant rule would).
 * The windows hold five or six samples (Prometheus' range selectors may include both ends).
 */
function canaryCases({ levels }: FixtureContext): FixtureCase[] {
  const warning = levels.warning?.threshold ?? 0;
  const critical = levels.critical?.threshold ?? Infinity;
  const due = (severity: Severity) => Math.ceil((levels[severity]?.for_s ?? 0) / 60);
  const end = Math.max(due('warning'), due('critical')) + 2;
  const steady = (value: number): Segment[] => [{ value, count: end + 1 }];
  /** One sample in five at `odd` (from minute `phase`), the others at `usual`. */
  const pattern = (usual: number, odd: number, phase: number): Segment[] =>
    Array.from({ length: end + 1 }, (_, minute) => ({ value: minute % 5 === phase ? odd : usual, count: 1 }));
  const holding = (value: number, minute: number): Severity[] =>
    (['warning', 'critical'] as const).filter(
      (severity) => value >= (levels[severity]?.threshold ?? Infinity) && due(severity) <= minute,
    );
  const atThreshold = (severity: Severity, value: number): FixtureCase => ({
    name: `at the ${severity} threshold`,
    instance: T,
    series: [{ metric: ROUNDTRIP, labels: T, segments: steady(value) }],
    checks: [...(due(severity) > 0 ? [due(severity) - 1] : []), due(severity), end].map((atMinute) => ({
      atMinute,
      firing: holding(value, atMinute),
    })),
  });
  // Twice the warning threshold, yet under the critical one: the average of 4 in 5 such samples
  // (one of 5 or 2 of 6 near zero) stays between the two.
  const slow = Math.min(2 * warning, (warning + critical) / 2);
  return [
    atThreshold('warning', warning),
    ...(levels.critical ? [atThreshold('critical', critical)] : []),
    {
      name: 'just short of the warning threshold',
      instance: T,
      series: [{ metric: ROUNDTRIP, labels: T, segments: steady(warning - 0.01) }],
      checks: [{ atMinute: end, firing: [] }],
    },
    {
      name: 'slow spikes among fast round trips',
      instance: T,
      series: [{ metric: ROUNDTRIP, labels: T, segments: pattern(warning / 25, 2 * warning, 0) }],
      checks: [{ atMinute: end, firing: [] }],
    },
    {
      name: 'a slow server with an occasional fast round trip',
      instance: T,
      series: [{ metric: ROUNDTRIP, labels: T, segments: pattern(slow, 0, 4) }],
      checks: [
        ...(due('warning') > 0 ? [{ atMinute: due('warning') - 1, firing: [] }] : []),
        { atMinute: due('warning'), firing: ['warning'] },
        { atMinute: end, firing: ['warning'] },
      ],
    },
  ];
}

export const CANARY_ALERTS: AlertDefinition[] = [
  {
    id: 'canary_latency',
    name: 'PgCanaryLatency',
    category: 'latency',
    component: 'postgresql',
    summary: 'A trivial statement on {{label.target}} takes {{value}} on average',
    description:
      'SELECT 1, timed by PG Governor on its own connection every hot cycle, took {{value}} on average over the last minutes (threshold {{threshold}}). Every client statement pays at least that much on top of its own work.',
    runbook: {
      meaning:
        "Even a statement that does nothing is slow: every client statement pays at least this much before its own work. The cause sits between client and server (network, a pooler in the path), in the server's scheduling (CPU saturated, more active backends than cores, swapping, a stalled disk under the WAL), or in the host of PG Governor itself.",
      checks: [
        {
          what: 'How many sessions are active and what they wait on: far more active sessions than CPU cores means queueing for CPU; many on IO or LWLock points at the disks.',
          sql: sql`
            SELECT state, wait_event_type, wait_event, count(*) AS sessions
            FROM pg_stat_activity
            WHERE backend_type = 'client backend'
            GROUP BY 1, 2, 3
            ORDER BY sessions DESC
            LIMIT 15;`,
        },
        {
          what: "The canary's EXPLAIN on the Sessions & locks dashboard: planning and execution time as the server reports them against the round trip. Fast on the server with a slow round trip: the network, a pooler, or PG Governor's own host (nodejs_eventloop_lag_seconds on its /metrics).",
        },
        {
          what: 'The statements running longest now (a runaway report or batch can saturate the server).',
          sql: sql`
            SELECT pid, usename, application_name, now() - query_start AS running, wait_event_type,
                   left(query, 200) AS query
            FROM pg_stat_activity
            WHERE state = 'active' AND backend_type = 'client backend'
            ORDER BY query_start
            LIMIT 10;`,
        },
        {
          what: 'From a client host and from the database host, `\\timing on` then `SELECT 1;` in psql: slow only from afar is the network or the pooler; slow on the host too is the server.',
        },
      ],
      remediation: [
        'CPU saturated by a few statements: cancel the runaway ones (`SELECT pg_cancel_backend(<pid>);`) and ask their owners; by too many sessions: cap the pool sizes (PgBouncer) rather than max_connections.',
        'Disk stalls (IO waits, slow WAL fsync): check the storage and its neighbours; network or pooler: fix the path, not the database.',
        'If only PG Governor measures it slow, relieve its host (fewer targets per replica).',
      ],
    },
    noData: NO_DATA.blind,
    unit: 'seconds',
    comparator: '>=',
    levels: { warning: { threshold: 0.25, for_s: 300 }, critical: { threshold: 1, for_s: 300 } },
    params: { window_s: 300 },
    instanceLabels: ['target'],
    // An average over the window: one slow or fast sample alone neither raises nor clears it.
    value: (p) => maxBy(['target'], rangeCall('avg_over_time', metric(ROUNDTRIP), p.window_s as number)),
    fixtures: { kind: 'custom', cases: canaryCases },
  },
];
