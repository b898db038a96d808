import { StoredEvent } from '../store/types';
import { Transition } from './evaluator';

/**
 * A transition as an event of the history store (the annotation source). Firing and resolved are
 * recorded; pending is not, as it may never fire (it is counted in pgg_alert_transitions_total).
 */
export function transitionEvent(t: Transition): StoredEvent | undefined {
  if (t.to === 'pending') return undefined;
  const change = t.previousSeverity ? ` (was ${t.previousSeverity})` : '';
  return {
    time: t.at,
    target: t.labels.target ?? null,
    kind: 'alert',
    severity: t.severity,
    title: `${t.alertname} ${t.to}: ${t.severity}${change}`,
    text: t.to === 'resolved' ? `Resolved: ${t.summary}` : t.summary,
    tags: ['alert', t.to, t.alertname, t.severity, t.labels.category ?? ''].filter(Boolean),
    data: {
      key: t.key,
      alertId: t.alertId,
      state: t.to,
      labels: t.labels,
      value: Number.isFinite(t.value) ? t.value : null,
      threshold: t.threshold,
      activeAt: t.activeAt,
      description: t.description,
      ...(t.previousSeverity ? { previousSeverity: t.previousSeverity } : {}),
    },
  };
}
