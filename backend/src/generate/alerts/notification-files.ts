import { Severity } from '../../catalog/alerts/types';
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

/** A webhook to the backend: Grafana's notifications become annotations (its events). */
function backendWebhook(uid: string, backendUrl: string) {
  return {
    uid,
    type: 'webhook',
    settings: {
      url: `${backendUrl.replace(/\/$/, '')}/api/v1/alerts/webhook`,
      httpMethod: 'POST',
      // The webhook route needs an admin token when the API has tokens; empty: no header.
      authorization_scheme: 'Bearer',
      authorization_credentials: '$PGG_ADMIN_TOKEN',
    },
    disableResolveMessage: false,
  };
}

/**
 * provisioning/alerting/contact-points.yaml. A rule names one contact point, so each contact point
 * records the notification in the backend as well as paging: critical pages, warning pages at low
 * urgency (PagerDuty services that take urgency from severity), info pages nobody.
 */
export function contactPoints(options: { backendUrl: string }) {
  return {
    apiVersion: 1,
    contactPoints: [
      {
        orgId: 1,
        name: RECEIVERS.pagerduty,
        receivers: [
          pagerdutyReceiver('pgg-pagerduty', '{{ .CommonLabels.severity }}'),
          backendWebhook('pgg-pagerduty-backend', options.backendUrl),
        ],
      },
      {
        orgId: 1,
        name: RECEIVERS.pagerdutyLow,
        receivers: [
          pagerdutyReceiver('pgg-pagerduty-low-urgency', 'warning'),
          backendWebhook('pgg-pagerduty-low-urgency-backend', options.backendUrl),
        ],
      },
      {
        orgId: 1,
        name: RECEIVERS.backend,
        receivers: [backendWebhook('pgg-backend-webhook', options.backendUrl)],
      },
    ],
  };
}

/** Grafana adds grafana_folder and alertname to a rule's grouping anyway; target splits by server. */
const GROUP_BY = ['grafana_folder', 'alertname', 'target'];
const TIMING = { group_wait: '30s', group_interval: '5m' };
const ROUTES: Record<Severity, { receiver: string; repeat_interval: string }> = {
  critical: { receiver: RECEIVERS.pagerduty, repeat_interval: '1h' },
  warning: { receiver: RECEIVERS.pagerdutyLow, repeat_interval: '4h' },
  info: { receiver: RECEIVERS.backend, repeat_interval: '4h' },
};

/**
 * A rule's own routing (Grafana's simplified routing: notification_settings on the rule, Grafana
 * 10.4+). Grafana routes such rules through routes it generates ahead of the organisation's policy
 * tree, so adding PG Governor's rules to a Grafana changes nothing of its own routing.
 */
export function notificationSettings(severity: Severity) {
  const { receiver, repeat_interval } = ROUTES[severity];
  return { receiver, group_by: GROUP_BY, ...TIMING, repeat_interval };
}

/**
 * docker/grafana/alerting/policies.yaml, for the compose stack's Grafana only (a policy file replaces
 * an organisation's whole tree: never copy it into a Grafana of your own). That Grafana belongs to
 * PG Governor: its default route records alerts whose rules name no contact point (made by hand in
 * the demo) in the backend, instead of Grafana's unconfigured default e-mail.
 */
export function composeNotificationPolicies() {
  return {
    apiVersion: 1,
    policies: [
      { orgId: 1, receiver: RECEIVERS.backend, group_by: GROUP_BY, ...TIMING, repeat_interval: '4h' },
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

/** A literal address or localhost: no DNS record to discover it by (Prometheus' DNS SD skips /etc/hosts). */
const isLiteralHost = (hostname: string) =>
  hostname === 'localhost' || /^[\d.]+$/.test(hostname) || hostname.startsWith('[');

/**
 * prometheus/prometheus.yml: an example Prometheus that scrapes the backend and loads the rules.
 * Every replica is scraped, each exporting the targets it owns: DNS service discovery (type A)
 * makes one target per address of the backend's name, as compose's service name (every replica
 * of `--scale`) or a headless Kubernetes Service resolves, and follows scaling.
 */
export function prometheusConfigExample(options: { backendTarget: string; ruleFile: string; job: string }) {
  const { hostname, port } = new URL(`http://${options.backendTarget}`);
  const targets = isLiteralHost(hostname)
    ? { static_configs: [{ targets: [options.backendTarget] }] }
    : {
        dns_sd_configs: [{ names: [hostname], type: 'A', port: Number(port || 80), refresh_interval: '15s' }],
      };
  return {
    global: { scrape_interval: '15s', evaluation_interval: '15s' },
    rule_files: [options.ruleFile],
    scrape_configs: [{ job_name: options.job, metrics_path: '/metrics', ...targets }],
  };
}
