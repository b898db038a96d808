import { Counter, Gauge, Registry } from 'prom-client';
import { ActiveAlert, Transition } from './evaluator';
import { EffectiveRule, levelsOf } from './rules';

export interface AlertEngineMetrics {
  transitions: Counter<'alertname' | 'severity' | 'state'>;
  evaluationErrors: Counter<'alertname'>;
  record(transitions: Transition[]): void;
}

/**
 * pgg_alerts_firing{alertname,severity}: firing instances now, 0 for every rule level that is not
 * (a resolved alert reads 0 rather than vanishing). pgg_alert_transitions_total counts pending,
 * firing and resolved transitions.
 */
export function createAlertEngineMetrics(
  registry: Registry,
  rules: readonly EffectiveRule[],
  active: () => readonly ActiveAlert[],
  lastEvaluation: () => number | undefined,
): AlertEngineMetrics {
  new Gauge({
    name: 'pgg_alerts_firing',
    help: 'Alert instances firing in the backend evaluation, by alert and severity',
    labelNames: ['alertname', 'severity'],
    registers: [registry],
    collect() {
      this.reset();
      for (const rule of rules) {
        if (!rule.enabled) continue;
        for (const { severity } of levelsOf(rule)) this.set({ alertname: rule.definition.name, severity }, 0);
      }
      for (const alert of active()) {
        if (alert.state === 'firing') this.inc({ alertname: alert.alertname, severity: alert.severity });
      }
    },
  });
  new Gauge({
    name: 'pgg_alert_last_evaluation_timestamp_seconds',
    help: 'When the backend last evaluated the alert rules (Unix time)',
    registers: [registry],
    collect() {
      const at = lastEvaluation();
      if (at !== undefined) this.set(at / 1000);
    },
  });
  const transitions = new Counter({
    name: 'pgg_alert_transitions_total',
    help: 'Alert state transitions in the backend evaluation (state: pending, firing, resolved)',
    labelNames: ['alertname', 'severity', 'state'],
    registers: [registry],
  });
  const evaluationErrors = new Counter({
    name: 'pgg_alert_evaluation_errors_total',
    help: 'Alert rules that could not be evaluated',
    labelNames: ['alertname'],
    registers: [registry],
  });
  return {
    transitions,
    evaluationErrors,
    record(list) {
      for (const t of list) transitions.inc({ alertname: t.alertname, severity: t.severity, state: t.to });
    },
  };
}
