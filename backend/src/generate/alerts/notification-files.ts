import { PROMETHEUS_DATASOURCE_NAME, PROMETHEUS_DATASOURCE_UID } from '../dashboards/model';

export const RECEIVERS = {
  pagerduty: 'PG Governor - PagerDuty',
  pagerdutyLow: 'PG Governor - PagerDuty (low urgency)',
  backend: 'PG Governor - backend annotations',
};

/**
 * Severity, class, component and group come from the alert's labels (PagerDuty's Events API v2
 * fields); the dedup key is Grafana's per alert group. Provisioning files expand $VARIABLES from
 * Grafana's environment, so the integration key never sits in the repository.
 */
function pagerdutyReceiver(uid: string, severity: string) {
  return {
    uid,
    type: 'pagerduty',
    settings: {
      integrationKey: '$PAGERDUTY_INTEGRATION_KEY',
      severity,
      class: '{{ .CommonLabels.category }}',
      component: '{{ .CommonLabels.component }}',
      group: '{{ .CommonLabels.target }}',
    },
    disableResolveMessage: false,
  };
}

/** provisioning/alerting/contact-points.yaml */
export function contactPoints(options: { backendUrl: string }) {
  return {
    apiVersion: 1,
    contactPoints: [
      {
        orgId: 1,
        name: RECEIVERS.pagerduty,
        receivers: [pagerdutyReceiver('pgg-pagerduty', '{{ .CommonLabels.severity }}')],
      },
      {
        orgId: 1,
        name: RECEIVERS.pagerdutyLow,
        // PagerDuty services that take urgency from severity page "warning" at low urgency.
        receivers: [pagerdutyReceiver('pgg-pagerduty-low-urgency', 'warning')],
      },
      {
        orgId: 1,
        name: RECEIVERS.backend,
        receivers: [
          {
            uid: 'pgg-backend-webhook',
            type: 'webhook',
            settings: {
              url: `${options.backendUrl.replace(/\/$/, '')}/api/v1/alerts/webhook`,
              httpMethod: 'POST',
              // The webhook route needs an admin token when the API has tokens; empty: no header.
              authorization_scheme: 'Bearer',
              authorization_credentials: '$PGG_ADMIN_TOKEN',
            },
            disableResolveMessage: false,
          },
        ],
      },
    ],
  };
}

/**
 * provisioning/alerting/policies.yaml: every PG Governor alert is recorded by the backend (its
 * annotations), then routed by severity: critical pages, warning pages at low urgency, info pages
 * nobody. Grouped per alert and target. (Provisioned policies replace the organization's tree.)
 */
export function notificationPolicies() {
  return {
    apiVersion: 1,
    policies: [
      {
        orgId: 1,
        receiver: RECEIVERS.backend,
        group_by: ['alertname', 'target'],
        group_wait: '30s',
        group_interval: '5m',
        repeat_interval: '4h',
        routes: [
          // Info: recorded, never paged (first, so that it does not also reach the catch-all below).
          {
            receiver: RECEIVERS.backend,
            object_matchers: [
              ['pgg_alert', '=~', '.+'],
              ['severity', '=', 'info'],
            ],
          },
          { receiver: RECEIVERS.backend, object_matchers: [['pgg_alert', '=~', '.+']], continue: true },
          {
            receiver: RECEIVERS.pagerduty,
            object_matchers: [
              ['pgg_alert', '=~', '.+'],
              ['severity', '=', 'critical'],
            ],
            repeat_interval: '1h',
          },
          {
            receiver: RECEIVERS.pagerdutyLow,
            object_matchers: [
              ['pgg_alert', '=~', '.+'],
              ['severity', '=', 'warning'],
            ],
          },
        ],
      },
    ],
  };
}

/** provisioning/datasources/prometheus.yaml: the data source the rules query. */
export function prometheusDatasource(options: { prometheusUrl: string }) {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: PROMETHEUS_DATASOURCE_NAME,
        uid: PROMETHEUS_DATASOURCE_UID,
        type: 'prometheus',
        access: 'proxy',
        url: options.prometheusUrl,
        isDefault: false,
        editable: false,
        jsonData: { httpMethod: 'POST', timeInterval: '15s' },
      },
    ],
  };
}

/** prometheus/prometheus.yml: an example Prometheus that scrapes the backend and loads the rules. */
export function prometheusConfigExample(options: { backendTarget: string; ruleFile: string }) {
  return {
    global: { scrape_interval: '15s', evaluation_interval: '15s' },
    rule_files: [options.ruleFile],
    scrape_configs: [
      {
        job_name: 'pg-governor',
        metrics_path: '/metrics',
        static_configs: [{ targets: [options.backendTarget] }],
      },
    ],
  };
}
