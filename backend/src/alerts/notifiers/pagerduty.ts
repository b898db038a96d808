import { createHash } from 'node:crypto';
import { Transition } from '../evaluator';

/** PagerDuty accepts dedup keys up to 255 characters: longer ones keep a prefix and a digest. */
export function pagerDutyDedupKey(key: string): string {
  const full = `pg-governor/${key}`;
  if (full.length <= 255) return full;
  return `${full.slice(0, 200)}#${createHash('sha256').update(full).digest('hex').slice(0, 32)}`;
}

/** The Events API v2 body for a transition: trigger (firing, incl. a severity change) or resolve. */
export function pagerDutyEvent(t: Transition, routingKey: string) {
  const dedup_key = pagerDutyDedupKey(t.key);
  if (t.to === 'resolved') return { routing_key: routingKey, event_action: 'resolve', dedup_key };
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key,
    client: 'PG Governor',
    payload: {
      summary: t.summary.slice(0, 1024),
      source: t.labels.target ?? 'pg-governor',
      severity: t.severity,
      timestamp: new Date(t.at).toISOString(),
      component: t.labels.component,
      group: t.labels.target,
      class: t.labels.category,
      custom_details: {
        description: t.description,
        value: Number.isFinite(t.value) ? t.value : null,
        threshold: t.threshold,
        labels: t.labels,
      },
    },
  };
}
