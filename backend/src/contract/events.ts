/**
 * Kinds of the events the backend records (the journal, alert transitions, drift, target state,
 * findings opening and resolving): the `kind` of an event row and of an annotation's tags, and
 * what GET /annotations filters on.
 */
export const EVENT_KINDS = [
  'intervention',
  'governor_decision',
  'alert',
  'settings_drift',
  'grafana_alert',
  'target_state',
  'finding',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** How much an event matters: the `severity` of an event row and a tag of its annotation. */
export type EventSeverity = 'info' | 'warning' | 'critical';

/** Names for groups of event kinds, as the event tables call them (interventions, alerts). */
export const EVENT_KIND_GROUPS = ['interventions', 'alerts'] as const;
export type EventKindGroup = (typeof EVENT_KIND_GROUPS)[number];
