import { Catalog } from '../../../catalog/catalog';
import { dashboardLink, DashboardSpec, UIDS } from '../model';
import { PanelKit } from '../panels';
import { ANY, CONNECTION_USAGE } from '../steps';
import { LEVEL_MAPPINGS } from './fleet';

export function governorDashboard(catalog: Catalog): DashboardSpec {
  const kit = new PanelKit(catalog, false);
  const target = 'target="$target"';
  return {
    uid: UIDS.governor,
    file: 'governor.json',
    title: 'PG Governor / Governor',
    description:
      'What the connection governor saw, decided and did: level, actions, circuit breaker, journal',
    usesPrometheus: true,
    annotationKinds: ['interventions', 'alerts'],
    panels: [
      kit.promStat(
        {
          title: 'Level',
          description: 'Connection pressure the governor sees now.',
          w: 6,
          h: 4,
          thresholds: ['green', [1, 'yellow'], [2, 'orange'], [3, 'red']],
          mappings: LEVEL_MAPPINGS,
        },
        [{ expr: `pgg_governor_level{${target}}`, legend: 'level' }],
      ),
      kit.promStat(
        {
          title: 'Circuit breaker',
          description: 'Open: three interventions in a row failed; no more actions until a human looks.',
          w: 6,
          h: 4,
          thresholds: ['green', [1, 'red']],
          mappings: [
            { value: 0, text: 'closed', color: 'green' },
            { value: 1, text: 'open', color: 'red' },
            { value: 2, text: 'half-open', color: 'orange' },
          ],
        },
        [{ expr: `pgg_governor_circuit_state{${target}}`, legend: 'circuit' }],
      ),
      kit.promStat(
        {
          title: 'Mode',
          description: 'observe (alerts only), dry-run (journals what it would do) or enforce.',
          w: 6,
          h: 4,
          thresholds: ['blue'],
          mappings: [{ value: 1, text: 'current', color: 'blue' }],
        },
        [{ expr: `pgg_governor_mode{${target}} == 1`, legend: '{{mode}}' }],
      ),
      kit.promStat(
        {
          title: 'Lease',
          description: 'Whether this backend holds the target governor lease (acts) or is a standby.',
          w: 6,
          h: 4,
          thresholds: ['blue'],
          mappings: [
            { value: 0, text: 'standby', color: 'blue' },
            { value: 1, text: 'holder', color: 'green' },
          ],
        },
        [{ expr: `max(pgg_governor_lease_held{${target}})`, legend: 'lease' }],
      ),
      kit.promTimeseries(
        {
          title: 'Level over time',
          description: '0 normal, 1 warn, 2 optimize (ends idle sessions), 3 critical (sheds load).',
          w: 12,
          h: 8,
          min: 0,
          max: 3,
          decimals: 0,
          thresholds: ['green', [1, 'yellow'], [2, 'orange'], [3, 'red']],
          showThresholds: true,
          mappings: LEVEL_MAPPINGS,
        },
        [{ expr: `pgg_governor_level{${target}}`, legend: 'level' }],
      ),
      kit.timeseries(
        {
          title: 'Connection usage',
          description: 'What the governor decides on: client backends / usable maximum, with its levels.',
          w: 12,
          h: 8,
          unit: 'percentunit',
          min: 0,
          max: 1,
          thresholds: CONNECTION_USAGE,
          showThresholds: true,
          links: [dashboardLink(UIDS.sessions, 'Sessions & locks')],
        },
        [kit.series('pg_connection_usage_ratio', { legend: 'usage' })],
      ),
      kit.promTimeseries(
        {
          title: 'Actions by kind and result',
          description: 'Interventions in enforce mode (terminate, cancel) by result.',
          w: 8,
          h: 8,
          draw: 'bars',
          stack: true,
          unit: 'short',
        },
        [
          {
            expr: `sum by (action, result) (increase(pgg_governor_actions_total{${target}}[$__rate_interval]))`,
            legend: '{{action}} {{result}}',
          },
        ],
      ),
      kit.promTimeseries(
        {
          title: 'Would have acted (dry-run)',
          description: 'Interventions the governor would have made in dry-run mode, by kind.',
          w: 8,
          h: 8,
          draw: 'bars',
          stack: true,
          unit: 'short',
        },
        [
          {
            expr: `sum by (action) (increase(pgg_governor_would_act_total{${target}}[$__rate_interval]))`,
            legend: '{{action}}',
          },
        ],
      ),
      kit.promTimeseries(
        {
          title: 'Decisions by level',
          description: 'Decisions (one per hot-loop snapshot) by the level seen; skipped cycles in red.',
          w: 8,
          h: 8,
          stack: true,
          unit: 'short',
          thresholds: ANY,
        },
        [
          {
            expr: `sum by (level) (increase(pgg_governor_decisions_total{${target}}[$__rate_interval]))`,
            legend: '{{level}}',
          },
          {
            expr: `sum(increase(pgg_governor_skipped_cycles_total{${target}}[$__rate_interval]))`,
            legend: 'skipped',
          },
        ],
      ),
      kit.table({
        title: 'Intervention journal',
        description: 'Every decision and action of the governor in the time range, newest first.',
        w: 24,
        h: 10,
        table: 'interventions',
        orderBy: 'time',
        limit: 200,
      }),
    ],
  };
}
