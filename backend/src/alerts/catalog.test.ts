import { ALERT_CATALOG, CONFIGURABLE_ALERTS } from '../catalog/alerts';
import { expectCompleteRunbook } from '../catalog/testing/runbook';
import { alertConfigProblems } from './config-problems';
import { AlertsConfig } from '../config/alerts-schema';
import { evaluateExpr } from './expr/evaluate';
import { Series } from './expr/vector';
import { grafanaRuleUid } from '../generate/alerts/names';
import { NO_WINDOWS } from './evaluator';
import { effectiveRules, levelsOf } from './rules';
import { unknownLabels } from './templates';

const rules = effectiveRules();

describe('the alert catalog', () => {
  it('has unique ids and alert names, snake_case ids and CamelCase names (the scrape alerts too)', () => {
    const ids = CONFIGURABLE_ALERTS.map((a) => a.id);
    const names = CONFIGURABLE_ALERTS.map((a) => a.name);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(names).size).toBe(names.length);
    for (const a of CONFIGURABLE_ALERTS) {
      expect(a.id).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(a.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
    }
  });

  it('covers what the issue lists', () => {
    const ids = new Set(ALERT_CATALOG.map((a) => a.id));
    for (const id of [
      'connection_saturation',
      'target_down',
      'long_transaction',
      'idle_in_transaction',
      'blocking_locks',
      'dead_tuples',
      'stale_statistics',
      'autovacuum_starvation',
      'checkpoint_thrash',
      'wal_surge',
      'temp_surge',
      'replication_lag',
      'replication_lag_bytes',
      'inactive_slot_retaining_wal',
      'xid_wraparound',
      'mxid_wraparound',
      'unused_large_index',
      'partitions_missing_future',
      'pgbouncer_clients_waiting',
      'pgbouncer_pool_exhaustion',
      'pgbouncer_wait_time',
      'governor_circuit_open',
      'governor_thrash',
      'collector_failing',
      'backend_degraded',
      'metric_family_absent',
    ])
      expect(ids).toContain(id);
  });

  it('gives every alert at least one level, a summary, a description and a runbook', () => {
    for (const rule of rules) {
      expect(levelsOf(rule).length).toBeGreaterThan(0);
      expect(rule.definition.summary.length).toBeGreaterThan(10);
      expect(rule.definition.description.length).toBeGreaterThan(10);
    }
  });

  it.each(CONFIGURABLE_ALERTS.map((a) => [a.id, a] as const))(
    '%s: a runbook with its meaning, first checks (SQL where a statement shows it) and remediation',
    (_id, alert) => {
      expectCompleteRunbook(alert.runbook);
      for (const check of alert.runbook.checks) if (check.on !== undefined) expect(check.sql).toBeDefined();
    },
  );

  it('says for every alert what an empty query means, OK only with a reason', () => {
    for (const alert of CONFIGURABLE_ALERTS) {
      expect(['OK', 'NoData', 'Alerting']).toContain(alert.noData.state);
      expect(alert.noData.why.length).toBeGreaterThan(30);
    }
    // Availability: losing sight of a target must not read as healthy.
    const state = (id: string) => CONFIGURABLE_ALERTS.find((a) => a.id === id)?.noData.state;
    expect(state('target_down')).toBe('NoData');
    expect(state('backend_down')).toBe('Alerting');
  });

  it('uses only instance labels in its templates', () => {
    for (const { definition: d } of rules) {
      expect(unknownLabels(d.summary, d.instanceLabels)).toEqual([]);
      expect(unknownLabels(d.description, d.instanceLabels)).toEqual([]);
    }
  });

  it('keeps exactly the instance labels in each measured value (the dedupe key)', () => {
    for (const rule of rules) {
      const spec = rule.definition.fixtures;
      if (spec.kind !== 'value') continue;
      const threshold = levelsOf(rule)[0]?.level.threshold as number;
      const samples = new Map<string, Series[]>();
      for (const s of spec.inputs(threshold, { params: rule.params, levels: rule.levels })) {
        samples.set(s.metric, [
          ...(samples.get(s.metric) ?? []),
          { labels: { ...s.labels, job: 'x' }, value: s.value },
        ]);
      }
      const vector = evaluateExpr(rule.value, { samples, windows: NO_WINDOWS, now: 0 });
      expect(vector.length).toBe(1);
      expect(Object.keys(vector[0]?.labels ?? {}).sort()).toEqual([...rule.definition.instanceLabels].sort());
    }
  });

  it('has default thresholds that rise with severity in the alert direction', () => {
    const config = {
      rules: Object.fromEntries(rules.map((r) => [r.definition.id, { enabled: true, ...r.levels }])),
      notifiers: { pagerduty: { enabled: false, url: 'https://x' }, slack: { enabled: false } },
    } as unknown as AlertsConfig;
    expect(alertConfigProblems(config)).toEqual([]);
  });

  it('derives Grafana rule uids that are unique, stable and at most 40 characters', () => {
    const uids = rules.flatMap((r) => levelsOf(r).map(({ severity }) => grafanaRuleUid(r, severity)));
    expect(new Set(uids).size).toBe(uids.length);
    for (const uid of uids) expect(uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(grafanaRuleUid(rules[0] as (typeof rules)[number], 'warning')).toBe(
      'pgg-connection-saturation-warn',
    );
  });
});
