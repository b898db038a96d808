import { Catalog } from '../../../catalog/catalog';
import { FINDINGS_TABLE } from '../../../catalog/findings/table';
import { DashboardSpec, UIDS } from '../model';
import { PanelKit } from '../panels';
import { ANY } from '../steps';

/** The findings table's columns other than the target and those shown: hidden by a table panel. */
const except = (...shown: string[]) =>
  FINDINGS_TABLE.columns.map((c) => c.name).filter((c) => c !== 'target' && !shown.includes(c));

export function findingsDashboard(catalog: Catalog): DashboardSpec {
  const kit = new PanelKit(catalog, true);
  const open = 'pgg_findings_open{target=~"$target"}';
  /** The open rows of the findings table, newest first (the two panels on them show other columns). */
  const openFindings = { table: 'findings', filters: { state: 'open' }, orderBy: 'first_seen', limit: 200 };
  return {
    uid: UIDS.findings,
    file: 'findings.json',
    title: 'PG Governor / Findings',
    description:
      'Diagnosed problems of every target: what is wrong, on which object, since when, and the statement that fixes it',
    multiTarget: true,
    usesPrometheus: true,
    annotationKinds: ['finding'],
    panels: [
      kit.promStat(
        {
          title: 'Open findings',
          description: 'Findings open now, by severity.',
          w: 8,
          h: 4,
          thresholds: ANY,
        },
        [{ expr: `sum by (severity) (${open})`, legend: '{{severity}}' }],
      ),
      kit.promStat(
        {
          title: 'Critical findings',
          description:
            'Critical findings open now, by kind. Those of the kinds xmin_horizon and sequence_exhaustion page (their alerts); the other critical kinds have alerts of their own.',
          w: 8,
          h: 4,
          thresholds: ANY,
        },
        [
          {
            expr: `sum by (kind) (pgg_findings_open{target=~"$target", severity="critical"})`,
            legend: '{{kind}}',
          },
        ],
      ),
      kit.promStat(
        {
          title: 'Check errors',
          description:
            'Checks that threw, all targets (a failed check reports no finding, and keeps what it found before). The open findings table names each failed check in its notices.',
          w: 8,
          h: 4,
          thresholds: ANY,
        },
        [{ expr: 'sum(increase(pgg_finding_check_errors_total[$__rate_interval]))', legend: 'errors' }],
      ),
      kit.promTimeseries(
        {
          title: 'Open findings by kind',
          description: 'How many findings of each kind and severity were open over time.',
          w: 12,
          h: 8,
          stack: true,
          decimals: 0,
        },
        [{ expr: `sum by (kind, severity) (${open})`, legend: '{{kind}} ({{severity}})' }],
      ),
      kit.promTimeseries(
        {
          title: 'Open findings by target',
          description: 'How many findings each target had open over time, by severity.',
          w: 12,
          h: 8,
          stack: true,
          decimals: 0,
        },
        [{ expr: `sum by (target, severity) (${open})`, legend: '{{target}} ({{severity}})' }],
      ),
      kit.table({
        title: 'Open findings',
        description:
          'The findings open now, newest first. Checks that failed on a target show as notices of this panel (a failed check is not "no findings"). Each kind has a runbook: docs/runbooks/findings/<kind>.md.',
        w: 24,
        h: 10,
        ...openFindings,
        hide: except('severity', 'kind', 'object', 'database', 'title', 'first_seen', 'last_seen'),
      }),
      kit.table({
        title: 'Remediation',
        description:
          'What to do about each open finding: the statements to run (PG Governor never runs them) or the steps, with the detail behind it.',
        w: 24,
        h: 10,
        ...openFindings,
        hide: except('kind', 'object', 'detail', 'remediation'),
      }),
      kit.table({
        title: 'Resolved in the last day',
        description: 'Findings no longer seen, newest first (kept for a day).',
        w: 12,
        h: 8,
        table: 'findings',
        filters: { state: 'resolved' },
        orderBy: 'resolved_at',
        limit: 100,
        hide: except('severity', 'kind', 'object', 'title', 'first_seen', 'resolved_at'),
      }),
      kit.table({
        title: 'Finding transitions',
        description: 'Findings opened, escalated and resolved in the time range (also the annotations).',
        w: 12,
        h: 8,
        table: 'events',
        filters: { kind: 'finding' },
        orderBy: 'time',
        limit: 200,
        hide: ['kind', 'data'],
      }),
    ],
  };
}
