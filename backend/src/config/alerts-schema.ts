import { TProperties, Type } from '@sinclair/typebox';
import { SecretString } from './secret';

/**
 * The `alerts` section of the configuration, built from the alert kinds it is given (the alert
 * catalog, which sits above config) so that every alert, level and parameter is a key with its
 * default (and PGG_ALERTS__RULES__<ID>__<LEVEL>__THRESHOLD=... works):
 *
 *   alerts:
 *     rules:
 *       connection_saturation: { warning: { threshold: 0.75, for_s: 60 } }
 *       unused_large_index: { enabled: false }
 *       dead_tuples: { params: { min_dead_rows: 50000 } }
 *     notifiers:
 *       pagerduty: { enabled: true, routing_key: ... }
 */

export type Severity = 'info' | 'warning' | 'critical';

/** Lowest first: a higher index outranks (critical beats warning on the same instance). */
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];

export interface AlertLevelConfig {
  threshold: number;
  for_s: number;
}

/** What the configuration knows of an alert kind: its key under alerts.rules, its default levels and params. */
export interface ConfigurableAlert {
  id: string;
  levels: Partial<Record<Severity, AlertLevelConfig>>;
  params?: Record<string, number>;
}

export interface AlertRuleConfig {
  enabled: boolean;
  info?: AlertLevelConfig;
  warning?: AlertLevelConfig;
  critical?: AlertLevelConfig;
  params?: Record<string, number>;
}

export interface NotifierRetryConfig {
  max_attempts: number;
  initial_backoff_ms: number;
  max_backoff_ms: number;
}

export interface AlertsConfig {
  enabled: boolean;
  evaluation_interval_s: number;
  /** Grafana's root URL as people open it: the dashboard links of the generated rules. */
  grafana_url: string;
  /** Where docs/runbooks is published: each generated rule's runbook_url is <runbooks_url>/<alert id>.md. */
  runbooks_url: string;
  /** The Prometheus job that scrapes the backend: the generated dead-man's rule watches it. */
  prometheus_job: string;
  rules: Record<string, AlertRuleConfig>;
  notifiers: {
    pagerduty: { enabled: boolean; routing_key?: string; url: string; min_severity: Severity };
    slack: { enabled: boolean; webhook_url?: string; min_severity: Severity };
    retry: NotifierRetryConfig;
    timeout_ms: number;
    /** Notifications waiting at most (per notifier); the oldest are dropped beyond, and counted. */
    queue_max: number;
  };
}

/** The compose stack's Grafana, as the README opens it. */
export const DEFAULT_GRAFANA_URL = 'http://localhost:3000';
/** docs/runbooks of the published repository (a fork or a wiki mirror sets its own). */
export const DEFAULT_RUNBOOKS_URL = 'https://github.com/pg-governor/pg-governor/blob/main/docs/runbooks';
/** The job name of prometheus/prometheus.yml. */
export const DEFAULT_PROMETHEUS_JOB = 'pg-governor';
const HTTP_URL = '^https?://[^\\s]+$';

const section = <T extends TProperties>(properties: T) =>
  Type.Object(properties, { additionalProperties: false, default: {} });

const SeveritySchema = (defaultValue: Severity) =>
  Type.Union(
    SEVERITIES.map((s) => Type.Literal(s)),
    { default: defaultValue },
  );

function ruleSchema(alert: ConfigurableAlert) {
  const properties: TProperties = { enabled: Type.Boolean({ default: true }) };
  for (const severity of SEVERITIES) {
    const level = alert.levels[severity];
    if (!level) continue;
    properties[severity] = section({
      threshold: Type.Number({ default: level.threshold }),
      for_s: Type.Integer({ minimum: 0, maximum: 604_800, default: level.for_s }),
    });
  }
  if (alert.params) {
    const params: TProperties = {};
    for (const [name, value] of Object.entries(alert.params))
      params[name] = Type.Number({ minimum: 0, default: value });
    properties.params = section(params);
  }
  return section(properties);
}

export function alertsConfigSchema(alertKinds: readonly ConfigurableAlert[]) {
  const rules: TProperties = {};
  for (const alert of alertKinds) rules[alert.id] = ruleSchema(alert);
  const schema = section({
    /** Off: the backend evaluates nothing (the rule files still work in Prometheus and Grafana). */
    enabled: Type.Boolean({ default: true }),
    evaluation_interval_s: Type.Integer({ minimum: 1, maximum: 3600, default: 10 }),
    // Read by `npm run alerts:generate -- --config` only: links and the job in the generated rules.
    grafana_url: Type.String({ pattern: HTTP_URL, default: DEFAULT_GRAFANA_URL }),
    runbooks_url: Type.String({ pattern: HTTP_URL, default: DEFAULT_RUNBOOKS_URL }),
    prometheus_job: Type.String({ minLength: 1, default: DEFAULT_PROMETHEUS_JOB }),
    rules: section(rules),
    notifiers: section({
      /** PagerDuty Events API v2, for users without Grafana alerting. */
      pagerduty: section({
        enabled: Type.Boolean({ default: false }),
        /** The integration (routing) key; better set as PGG_ALERTS__NOTIFIERS__PAGERDUTY__ROUTING_KEY. */
        routing_key: Type.Optional(SecretString('value', { minLength: 1 })),
        url: SecretString('dsn', { minLength: 1, default: 'https://events.pagerduty.com/v2/enqueue' }),
        min_severity: SeveritySchema('warning'),
      }),
      /** A Slack incoming webhook. */
      slack: section({
        enabled: Type.Boolean({ default: false }),
        webhook_url: Type.Optional(SecretString('url-path', { minLength: 1 })),
        min_severity: SeveritySchema('warning'),
      }),
      retry: section({
        max_attempts: Type.Integer({ minimum: 1, maximum: 20, default: 5 }),
        initial_backoff_ms: Type.Integer({ minimum: 10, maximum: 600_000, default: 1000 }),
        max_backoff_ms: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 60_000 }),
      }),
      timeout_ms: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
      queue_max: Type.Integer({ minimum: 1, maximum: 100_000, default: 1000 }),
    }),
  });
  return Type.Unsafe<AlertsConfig>(schema);
}
