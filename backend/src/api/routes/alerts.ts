import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ActiveAlert } from '../../alerts/evaluator';
import { RuleDescription } from '../../alerts/rule-descriptions';
import {
  alertProblem,
  GRAFANA_WEBHOOK_SCHEMA,
  GrafanaWebhookPayload,
  grafanaAlertEvent,
} from '../../alerts/webhook/grafana-payload';
import { OneOf } from '../../contract/schema-parts';
import { ReplicaAlerts } from '../../store/replica-alerts';
import { HistoryWriter } from '../../store/types';
import { ApiError, badRequest } from '../errors';

/** What the routes need of the alert engine (AlertEngine provides it). */
export interface AlertSource {
  active(): ActiveAlert[];
  describeRules(): RuleDescription[];
  lastEvaluation(): number | undefined;
}

export interface AlertRoutesDeps {
  alerts: AlertSource;
  /**
   * The replicas sharing the store: this one's id, and the other live replicas' active alerts as
   * they published them. Absent: this process is alone; failing: this replica's alerts only.
   */
  fleet?: { replica: string; others: () => Promise<ReplicaAlerts<AlertItem>[]> };
  /** Grafana's webhook alerts are stored as events; absent: the webhook answers 503. */
  events?: Pick<HistoryWriter, 'writeEvent'>;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** An active alert as the API lists it (and as a replica publishes its own to the store). */
export function alertItem(a: ActiveAlert) {
  return {
    key: a.key,
    id: a.alertId,
    alertname: a.alertname,
    state: a.state,
    severity: a.severity,
    labels: a.labels,
    value: Number.isFinite(a.value) ? a.value : null,
    threshold: a.threshold,
    activeAt: iso(a.activeAt),
    since: iso(a.firingSince ?? a.activeAt),
    ...(a.firingSince !== undefined ? { firingSince: iso(a.firingSince) } : {}),
    summary: a.summary,
    description: a.description,
  };
}
export type AlertItem = ReturnType<typeof alertItem>;

const ListQuery = Type.Object(
  {
    target: Type.Optional(Type.String({ minLength: 1 })),
    severity: Type.Optional(OneOf<ActiveAlert['severity']>(['info', 'warning', 'critical'])),
    state: Type.Optional(OneOf<ActiveAlert['state']>(['pending', 'firing'])),
    alertname: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

/**
 * GET /api/v1/alerts: what the backend's evaluation has pending or firing, with labels, values and
 * since when. GET /api/v1/alert-rules: the catalog with the thresholds in effect and the PromQL of
 * each level. POST /api/v1/alerts/webhook: Grafana's webhook contact point; each alert becomes an
 * event (kind grafana_alert), so Grafana's own firings show as annotations. (Paths are relative:
 * the server mounts these routes under /api/v1.)
 */
export const alertRoutes = (deps: AlertRoutesDeps): FastifyPluginAsyncTypebox =>
  async function alerts(app) {
    app.get('/alerts', { schema: { querystring: ListQuery } }, async (request) => {
      const q = request.query;
      const mine = { replica: deps.fleet?.replica, alerts: deps.alerts.active().map(alertItem) };
      let others: ReplicaAlerts<AlertItem>[] | undefined = [];
      try {
        others = await deps.fleet?.others();
      } catch (error) {
        request.log.warn({ err: error }, "alerts: the store did not answer; this replica's alerts only");
        others = undefined;
      }
      const list = [mine, ...(others ?? [])].flatMap(({ replica, alerts }) =>
        alerts
          .filter(
            (a) =>
              (q.target === undefined || a.labels.target === q.target) &&
              (q.severity === undefined || a.severity === q.severity) &&
              (q.state === undefined || a.state === q.state) &&
              (q.alertname === undefined || a.alertname === q.alertname),
          )
          .map((a) => (replica === undefined ? a : { ...a, replica })),
      );
      return {
        evaluatedAt: iso(deps.alerts.lastEvaluation()),
        // Which replica answered; fleet: every live replica's alerts (each evaluates its own targets).
        ...(deps.fleet ? { replica: deps.fleet.replica, scope: others ? 'fleet' : 'replica' } : {}),
        alerts: list,
      };
    });

    app.get('/alert-rules', async () => ({ rules: deps.alerts.describeRules() }));

    app.post<{ Body: GrafanaWebhookPayload }>(
      '/alerts/webhook',
      { config: { access: 'admin' }, schema: { body: GRAFANA_WEBHOOK_SCHEMA } },
      async (request, reply) => {
        const payload = request.body;
        payload.alerts.forEach((alert, i) => {
          const problem = alertProblem(alert, i);
          if (problem) throw badRequest(...problem);
        });
        if (!deps.events)
          throw new ApiError(503, 'the history store is not available: webhook alerts cannot be recorded');
        for (const alert of payload.alerts) deps.events.writeEvent(grafanaAlertEvent(alert, payload));
        return reply.code(202).send({ stored: payload.alerts.length });
      },
    );
  };
