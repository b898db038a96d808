import { maxBy, metric, rangeCall, sumBy } from './ast';
import { AlertDefinition, FixtureContext } from './types';
import { NO_DATA, singleMetricFixture, sql, T } from './helpers';

/** Governor metrics (the governor module defines them): circuit state 0 closed, 1 open, 2 half-open. */
export const GOVERNOR_METRICS = ['pgg_governor_circuit_state', 'pgg_governor_actions_total'];

const ACTIONS = { ...T, action: 'terminate', result: 'success' };

export const GOVERNOR_ALERTS: AlertDefinition[] = [
  {
    id: 'governor_circuit_open',
    name: 'PgGovernorCircuitOpen',
    category: 'governor',
    component: 'pg-governor',
    summary: 'The governor of {{label.target}} stopped acting: its circuit breaker is open',
    description:
      'After repeated failed interventions the governor of {{label.target}} stopped taking actions (circuit state {{value}}: 1 open, 2 half-open, trying again). Connection pressure is no longer relieved automatically: a person has to look.',
    runbook: {
      meaning:
        'The governor stopped intervening on this target after repeated failed interventions: connection pressure is no longer relieved automatically, and a person has to look.',
      checks: [
        {
          what: 'The governor journal in the history store: the last interventions and why they failed (permission denied, session already gone, re-verification refused).',
          on: 'store',
          sql: sql`
            SELECT ts, target, severity, title, text
            FROM events
            WHERE kind = 'intervention' AND ts > now() - interval '1 hour'
            ORDER BY ts DESC
            LIMIT 50;`,
        },
        {
          what: 'On the target (as a superuser): the governor role may signal other sessions.',
          sql: sql`
            SELECT rolname, rolcanlogin, pg_has_role(rolname, 'pg_signal_backend', 'member') AS can_signal
            FROM pg_roles
            WHERE rolname = 'pgg_governor';`,
        },
      ],
      remediation: [
        'Fix the cause (`GRANT pg_signal_backend TO pgg_governor;`, protected applications or roles listed in the configuration), then let the half-open probe close the circuit.',
        'Meanwhile relieve the pressure by hand: see the runbook of PgConnectionSaturation.',
      ],
    },
    noData: NO_DATA.onlyWhereItExists,
    unit: 'count',
    comparator: '>=',
    levels: { critical: { threshold: 1, for_s: 0 } },
    instanceLabels: ['target'],
    value: () => maxBy(['target'], metric('pgg_governor_circuit_state')),
    fixtures: singleMetricFixture('pgg_governor_circuit_state', T, 1),
  },
  {
    id: 'governor_thrash',
    name: 'PgGovernorThrash',
    category: 'governor',
    component: 'pg-governor',
    summary: 'The governor of {{label.target}} took {{value}} actions in a short time',
    description:
      'The governor of {{label.target}} acted {{value}} times within its window (threshold {{threshold}}) and keeps doing so: it treats a symptom while the cause (a connection leak, a pool too large) persists.',
    runbook: {
      meaning:
        "The governor keeps intervening: it treats a symptom (too many connections) while the cause persists, and the sessions it ends are somebody's work.",
      checks: [
        {
          what: 'What it terminates, by application, role and state (from the journal in the history store).',
          on: 'store',
          sql: sql`
            SELECT target, title, count(*) AS interventions, max(ts) AS last
            FROM events
            WHERE kind = 'intervention' AND ts > now() - interval '1 hour'
            GROUP BY target, title
            ORDER BY interventions DESC
            LIMIT 20;`,
        },
        {
          what: 'On the target: which applications open the connections now.',
          sql: sql`
            SELECT application_name, usename, client_addr, state, count(*) AS sessions
            FROM pg_stat_activity
            WHERE backend_type = 'client backend'
            GROUP BY 1, 2, 3, 4
            ORDER BY sessions DESC
            LIMIT 20;`,
        },
      ],
      remediation: [
        'The same application again and again points at its pool settings or a connection leak: fix it there.',
        'Meanwhile raise the governor thresholds or protect what must not be ended (governor configuration), or switch the target to dry-run.',
      ],
    },
    noData: NO_DATA.onlyWhereItExists,
    unit: 'count',
    comparator: '>=',
    levels: { warning: { threshold: 20, for_s: 300 } },
    params: { window_s: 600 },
    instanceLabels: ['target'],
    value: (p) =>
      sumBy(['target'], rangeCall('increase', metric('pgg_governor_actions_total'), p.window_s as number)),
    fixtures: {
      kind: 'custom',
      // A counter rising steadily: exactly the threshold per window fires, one less per window does not.
      cases: ({ params, levels }: FixtureContext) => {
        const threshold = levels.warning?.threshold ?? 0;
        const windowMinutes = (params.window_s as number) / 60;
        const forMinutes = Math.ceil((levels.warning?.for_s ?? 0) / 60);
        const minutes = windowMinutes + forMinutes + 5;
        return [
          {
            name: 'the threshold every window',
            instance: T,
            series: [
              {
                metric: 'pgg_governor_actions_total',
                labels: ACTIONS,
                segments: [{ value: 0, step: threshold / windowMinutes, count: minutes + 1 }],
              },
            ],
            checks: [
              { atMinute: windowMinutes + forMinutes - 1, firing: [] },
              { atMinute: windowMinutes + forMinutes, firing: ['warning'] },
            ],
          },
          {
            name: 'fewer actions per window',
            instance: T,
            series: [
              {
                metric: 'pgg_governor_actions_total',
                labels: ACTIONS,
                segments: [
                  { value: 0, step: (threshold - windowMinutes) / windowMinutes, count: minutes + 1 },
                ],
              },
            ],
            checks: [{ atMinute: minutes, firing: [] }],
          },
        ];
      },
    },
  },
];
