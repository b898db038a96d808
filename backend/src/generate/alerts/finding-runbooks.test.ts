import { DEFAULT_PROMETHEUS_JOB } from '../../config/alerts-schema';
import { FINDING_KINDS } from '../../catalog/findings';
import { dashboardPanels } from '../dashboards/panel-index';
import { linkedRules } from './files';
import { findingRunbookFiles } from './finding-runbooks';

const rules = linkedRules({
  overrides: {},
  prometheusUrl: 'http://prometheus:9090',
  backendUrl: 'http://backend:8765',
  grafanaUrl: 'http://localhost:3000',
  runbooksUrl: 'https://example.com/docs/runbooks',
  prometheusJob: DEFAULT_PROMETHEUS_JOB,
  strictFixtures: true,
});
const files = new Map(findingRunbookFiles(rules, dashboardPanels()).map((f) => [f.path, f.content]));

describe('finding runbooks', () => {
  it.each(FINDING_KINDS.map((k) => [k.id, k] as const))(
    '%s: its page, where FindingKind.runbook points, with its thresholds, SQL and alerts',
    (_id, kind) => {
      const page = files.get(kind.runbook) ?? '';
      expect(page).toContain(`# ${kind.title}`);
      for (const param of Object.keys(kind.params))
        expect(page).toContain(`\`findings.${kind.id}.${param}\``);
      for (const section of ['## What it means', '## First checks', '## Remediation'])
        expect(page).toContain(section);
      expect(page).toContain('/d/pgg-findings?viewPanel=panel-');
      for (const id of kind.relatedAlerts ?? []) expect(page).toContain(`(../${id}.md)`);
      expect(files.get('docs/runbooks/findings/README.md')).toContain(`(${kind.id}.md)`);
    },
  );

  it('link the alerts that page on critical findings, both ways', () => {
    for (const [kind, alert, id] of [
      ['xmin_horizon', 'PgXminHorizonHeldBack', 'xmin_horizon'],
      ['sequence_exhaustion', 'PgSequenceExhaustion', 'sequence_exhaustion'],
      ['subscription_down', 'PgSubscriptionDown', 'subscription_down'],
      ['subscription_errors', 'PgSubscriptionApplyFailing', 'subscription_apply_failing'],
    ]) {
      expect(files.get(`docs/runbooks/findings/${kind}.md`)).toContain(
        `Critical findings page: [${alert}](../${id}.md).`,
      );
      const rule = rules.find((r) => r.definition.name === alert);
      expect(rule?.definition.runbook.checks[0]?.what).toContain(`(findings/${kind}.md)`);
    }
  });
});
