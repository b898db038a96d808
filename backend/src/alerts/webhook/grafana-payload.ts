import { isStorableTime } from '../../store/storable-time';
import { Severity, StoredEvent } from '../../store/types';

/**
 * Grafana's webhook contact-point payload (Alertmanager-compatible, plus Grafana's own fields).
 * Unknown fields are allowed: Grafana adds some in new versions, and none of them matters here.
 */
const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

export const GRAFANA_WEBHOOK_SCHEMA = {
  type: 'object',
  required: ['status', 'alerts'],
  properties: {
    receiver: { type: 'string' },
    status: { type: 'string', enum: ['firing', 'resolved'] },
    orgId: { type: 'integer' },
    alerts: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        required: ['status', 'labels', 'startsAt'],
        properties: {
          status: { type: 'string', enum: ['firing', 'resolved'] },
          labels: stringMap,
          annotations: stringMap,
          startsAt: { type: 'string', minLength: 1 },
          endsAt: { type: 'string' },
          generatorURL: { type: 'string' },
          fingerprint: { type: 'string' },
          silenceURL: { type: 'string' },
          dashboardURL: { type: 'string' },
          panelURL: { type: 'string' },
          values: { type: ['object', 'null'], additionalProperties: { type: ['number', 'null'] } },
          valueString: { type: 'string' },
        },
      },
    },
    groupLabels: stringMap,
    commonLabels: stringMap,
    commonAnnotations: stringMap,
    externalURL: { type: 'string' },
    version: { type: 'string' },
    groupKey: { type: 'string' },
    truncatedAlerts: { type: 'integer' },
    title: { type: 'string' },
    state: { type: 'string' },
    message: { type: 'string' },
  },
} as const;

export interface GrafanaWebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL?: string;
  fingerprint?: string;
  values?: Record<string, number | null> | null;
}

export interface GrafanaWebhookPayload {
  receiver?: string;
  status: 'firing' | 'resolved';
  alerts: GrafanaWebhookAlert[];
  groupKey?: string;
  externalURL?: string;
}

const SEVERITIES: Record<string, Severity> = { critical: 'critical', warning: 'warning', info: 'info' };

/** ms since epoch of an RFC 3339 time; undefined for Go's zero time (an alert that has not ended). */
export function alertTime(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) || ms <= 0 ? undefined : ms;
}

const OUT_OF_RANGE = 'is outside the times the history store keeps (after 1970, before the year 10000)';

/**
 * The problem with an alert the schema cannot catch, as [field, problem]. Text the store cannot
 * hold (lone surrogates, NUL) is not one: the writer makes it storable (store/storable-json).
 */
export function alertProblem(alert: GrafanaWebhookAlert, index: number): [string, string] | undefined {
  const startsAt = alertTime(alert.startsAt);
  if (startsAt === undefined) return [`alerts[${index}].startsAt`, 'is not an RFC 3339 time'];
  if (!isStorableTime(startsAt)) return [`alerts[${index}].startsAt`, OUT_OF_RANGE];
  if (alert.endsAt !== undefined) {
    const endsAt = Date.parse(alert.endsAt);
    if (Number.isNaN(endsAt)) return [`alerts[${index}].endsAt`, 'is not an RFC 3339 time'];
    // Go's zero time (0001-01-01) is "not ended", not a time.
    if (endsAt > 0 && !isStorableTime(endsAt)) return [`alerts[${index}].endsAt`, OUT_OF_RANGE];
  }
  return undefined;
}

/** One Grafana alert as an event (kind grafana_alert): an annotation at its start, or at its end once resolved. */
export function grafanaAlertEvent(alert: GrafanaWebhookAlert, payload: GrafanaWebhookPayload): StoredEvent {
  const name = alert.labels.alertname ?? 'Grafana alert';
  const annotations = alert.annotations ?? {};
  const ended = alert.status === 'resolved' ? alertTime(alert.endsAt) : undefined;
  const severity = SEVERITIES[alert.labels.severity ?? ''] ?? 'warning';
  return {
    time: ended ?? (alertTime(alert.startsAt) as number),
    target: alert.labels.target ?? null,
    kind: 'grafana_alert',
    severity,
    title: `${name} ${alert.status}`,
    text: annotations.summary ?? annotations.description ?? '',
    tags: ['grafana', alert.status, name, severity],
    data: {
      labels: alert.labels,
      annotations,
      startsAt: alert.startsAt,
      ...(alert.endsAt ? { endsAt: alert.endsAt } : {}),
      ...(alert.fingerprint ? { fingerprint: alert.fingerprint } : {}),
      ...(alert.generatorURL ? { generatorURL: alert.generatorURL } : {}),
      ...(alert.values ? { values: alert.values } : {}),
      ...(payload.receiver ? { receiver: payload.receiver } : {}),
      ...(payload.groupKey ? { groupKey: payload.groupKey } : {}),
    },
  };
}
