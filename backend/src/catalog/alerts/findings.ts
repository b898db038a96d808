import { FINDING_KINDS } from '../findings';
import { metric, sumBy } from './ast';
import { NO_DATA, sql, T } from './helpers';
import { AlertDefinition, ConstantSeries } from './types';

/** Open findings by target, kind and severity (the findings engine exports it). */
export const FINDINGS_METRIC = 'pgg_findings_open';

interface FindingAlertSpec {
  kind: string;
  id: string;
  name: string;
  summary: string;
  description: string;
}

function findingKind(id: string) {
  const kind = FINDING_KINDS.find((k) => k.id === id);
  if (!kind) throw new Error(`no finding kind ${id}`);
  return kind;
}

function findingAlert(spec: FindingAlertSpec): AlertDefinition {
  const kind = findingKind(spec.kind);
  const open = (severity: string, k = spec.kind) => ({ ...T, kind: k, severity });
  const other = FINDING_KINDS.find((k) => k.id !== spec.kind)?.id ?? 'other';
  const series = (labels: Record<string, string>, value: number): ConstantSeries[] => [
    { metric: FINDINGS_METRIC, labels, value },
  ];
  return {
    id: spec.id,
    name: spec.name,
    category: 'findings',
    component: 'postgresql',
    summary: spec.summary,
    description: spec.description,
    runbook: {
      meaning: kind.guide.meaning,
      checks: [
        {
          what: `The findings themselves: the Findings dashboard, or \`GET /api/v1/findings?target=<target>&kind=${spec.kind}&severity=critical\`. Each names the object, shows the evidence rows and the statement that fixes it. Their runbook: [findings/${spec.kind}.md](findings/${spec.kind}.md).`,
        },
        {
          what: 'When they opened, escalated and resolved, in the history store.',
          on: 'store',
          sql: sql`
            SELECT ts, target, severity, title, text
            FROM events
            WHERE kind = 'finding' AND data->>'kind' = '<kind>' AND ts > now() - interval '1 day'
            ORDER BY ts DESC
            LIMIT 50;`.replace('<kind>', spec.kind),
        },
        ...kind.guide.checks,
      ],
      remediation: kind.guide.remediation,
    },
    noData: NO_DATA.onlyWhileWrong,
    unit: 'count',
    comparator: '>=',
    levels: { critical: { threshold: 1, for_s: 0 } },
    instanceLabels: ['target'],
    value: () => sumBy(['target'], metric(FINDINGS_METRIC, { kind: spec.kind, severity: 'critical' })),
    fixtures: {
      kind: 'value',
      instance: T,
      epsilon: 1,
      inputs: (value) => series(open('critical'), value),
      quietCases: () => [
        { name: 'warning findings of the kind', series: series(open('warning'), 5) },
        { name: 'critical findings of another kind', series: series(open('critical', other), 5) },
      ],
    },
  };
}

/**
 * The critical finding kinds that page. Other kinds that can turn critical already have an alert
 * over the same condition (xid_wraparound, mxid_wraparound, inactive_slot_retaining_wal,
 * idle_in_transaction, long_transaction, blocking_locks) or are not worth waking someone for
 * (table_bloat, index_bloat; settings_sanity, whose critical settings are fixed in working hours).
 * A subscription that stopped replicating pages: its subscriber falls behind for good and its
 * publisher keeps WAL for the slot until the disk fills.
 * These alert on the findings engine's own verdict, so that the thresholds are the finding's
 * (findings.<kind>.critical_*), not a second copy of them.
 */
export const FINDING_ALERTS: AlertDefinition[] = [
  findingAlert({
    kind: 'xmin_horizon',
    id: 'xmin_horizon',
    name: 'PgXminHorizonHeldBack',
    summary:
      'The transaction horizon of {{label.target}} is held back past the critical age ({{value}} critical findings)',
    description:
      'Something holds the oldest xmin of {{label.target}} back by more than the critical age (a session, a prepared transaction, a replication slot or a standby): vacuum removes and freezes nothing newer, and wraparound comes closer.',
  }),
  findingAlert({
    kind: 'sequence_exhaustion',
    id: 'sequence_exhaustion',
    name: 'PgSequenceExhaustion',
    summary: 'Sequences of {{label.target}} are about to run out ({{value}} critical findings)',
    description:
      '{{value}} sequences of {{label.target}} have used more than the critical share of their range (their own limit, or the integer column they feed): when one runs out, every insert that needs it fails.',
  }),
  findingAlert({
    kind: 'subscription_down',
    id: 'subscription_down',
    name: 'PgSubscriptionDown',
    summary:
      'Logical replication subscriptions of {{label.target}} have not replicated for the critical time ({{value}} critical findings)',
    description:
      'An enabled subscription of {{label.target}} has had no apply worker for longer than the critical time (it fails on every retry, cannot reach its publisher or finds no free worker): nothing reaches the subscriber, and the publisher keeps WAL for its slot until its disk fills.',
  }),
  findingAlert({
    kind: 'subscription_errors',
    id: 'subscription_apply_failing',
    name: 'PgSubscriptionApplyFailing',
    summary: 'The apply workers of {{label.target}} fail on every retry ({{value}} critical findings)',
    description:
      "A subscription's apply worker on {{label.target}} failed more than the critical number of times in the window: it stops at the same change each time, so nothing of the subscription replicates and its publisher keeps WAL until the change is fixed or skipped.",
  }),
];
