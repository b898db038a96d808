import { EventKind } from '../contract/events';
import { SnapshotColumn } from './types';

/** Tables read from the store's events rather than from a collector's snapshots. */
export interface EventTableDefinition {
  kind: string;
  description: string;
  eventKinds: EventKind[];
}

export const EVENT_TABLES: EventTableDefinition[] = [
  {
    kind: 'interventions',
    description:
      'What the governor decided and did (terminations, cancellations, dry-run decisions): the journal',
    eventKinds: ['intervention', 'governor_decision'],
  },
  {
    kind: 'alerts',
    description:
      'Alert transitions (firing, resolved) from the alert engine and from Grafana alerting webhooks',
    eventKinds: ['alert', 'grafana_alert'],
  },
  {
    kind: 'events',
    description:
      'Every event in the range: interventions, decisions, alerts, settings drift, target state changes',
    eventKinds: [],
  },
];

export const EVENT_COLUMNS: SnapshotColumn[] = [
  { name: 'time', type: 'time', description: 'When it happened' },
  { name: 'target', type: 'string' },
  { name: 'kind', type: 'string', description: 'intervention, governor_decision, alert, ...' },
  { name: 'severity', type: 'string', description: 'info, warning or critical' },
  { name: 'title', type: 'string' },
  { name: 'text', type: 'string' },
  { name: 'tags', type: 'string', description: 'Comma-separated' },
  {
    name: 'data',
    type: 'string',
    description: 'Structured detail as JSON (decision inputs, alert labels, ...)',
  },
];
