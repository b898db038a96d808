import { maxBy, metric, rangeCall, sumBy } from './ast';
import { AlertDefinition, FixtureContext } from './types';
import { singleMetricFixture, T } from './helpers';

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
    runbook: [
      'Read the governor journal (interventions, alert annotations): why did the last interventions fail (permission denied, backend gone, re-verification refused)?',
      'Fix the cause (pg_signal_backend granted to the governor role, protected lists), then let the half-open probe close the circuit.',
    ].join('\n'),
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
    runbook: [
      'Which sessions does it terminate (governor journal: application, user, state)? The same application again and again points at its pool settings or a leak.',
      'Fix the source; meanwhile consider raising the thresholds or protecting what must not be killed.',
    ].join('\n'),
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
