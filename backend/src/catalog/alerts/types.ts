import { Severity } from '../../config/alerts-schema';
import { Comparator, Expr } from './ast';

export { SEVERITIES, type Severity } from '../../config/alerts-schema';
export type { Comparator } from './ast';

/**
 * The alert catalog's vocabulary. An alert is data: what it measures (an expression that renders to
 * PromQL and evaluates in the backend alike), how the measured value compares with each severity's
 * threshold, for how long, and what to tell the person on call.
 */

/**
 * How values are shown: matches a Prometheus/Grafana template function, so that the backend, the
 * Prometheus rules and the Grafana rules word a value the same way.
 */
export type ValueUnit = 'ratio' | 'seconds' | 'bytes' | 'count' | 'number';

export type Labels = Record<string, string>;

export interface LevelSettings {
  threshold: number;
  /** How long the condition must hold before the alert fires (the rule's `for`). */
  for_s: number;
}

/** A first check for whoever is paged: what to look at and, where a statement shows it, that statement. */
export interface RunbookCheck {
  what: string;
  /** SQL as a DBA runs it (psql), read-only. */
  sql?: string;
  /**
   * Where the SQL runs: a database of the target (default; on its primary), a standby of it,
   * PgBouncer's admin console (database pgbouncer) or PG Governor's history store.
   */
  on?: 'postgresql' | 'standby' | 'pgbouncer' | 'store';
}

/** What to tell the person on call; docs/runbooks/<id>.md is generated from it. */
export interface Runbook {
  /** What the alert means for the server and its users (the description says what was measured). */
  meaning: string;
  /** What to look at first, in order. */
  checks: RunbookCheck[];
  /** What to do about it, the safe steps first. */
  remediation: string[];
}

/**
 * What a Grafana-managed rule does when its query returns no series at all (its noDataState),
 * and why. Prometheus rules have no such state: the dead-man's alert covers a silent backend there.
 */
export interface NoDataPolicy {
  state: 'OK' | 'NoData' | 'Alerting';
  why: string;
}

/** What the rule files and runbooks say about an alert, whoever evaluates it. */
export interface AlertDescription {
  /** snake_case: the key under alerts.rules in the configuration, and the runbook's file name. */
  id: string;
  /** The alertname label: CamelCase, stable (dashboards, silences and routing use it). */
  name: string;
  /** PagerDuty class and rule group: connections, sessions, locks, vacuum, ... */
  category: string;
  /** PagerDuty component. */
  component: 'postgresql' | 'pgbouncer' | 'pg-governor';
  summary: string;
  description: string;
  runbook: Runbook;
  unit: ValueUnit;
  comparator: Comparator;
  /** Default thresholds by severity; a configuration may override each. */
  levels: Partial<Record<Severity, LevelSettings>>;
  /** The labels that identify one instance of the alert (the dedupe key); the expression keeps exactly these. */
  instanceLabels: string[];
  /** When the query returns nothing. */
  noData: NoDataPolicy;
  /**
   * Metric families or table kinds whose dashboard panel the alert links to, the most telling
   * first; default: the families its value reads.
   */
  shownBy?: string[];
}

/** One alert of the catalog. Templates use {{label.<name>}}, {{value}} and {{threshold}}. */
export interface AlertDefinition extends AlertDescription {
  /** Secondary numbers of the condition (minimum rows, windows, floors), configurable as well. */
  params?: Record<string, number>;
  /** The measured value per instance, before the threshold comparison. */
  value: (params: Record<string, number>) => Expr;
  /** Input series for the rule tests (promtool and the backend evaluator run the same cases). */
  fixtures: FixtureSpec;
}

/**
 * An alert on the scrape of the backend itself. The backend cannot page about its own death, so
 * only the scraper evaluates these (the Prometheus rules, and Grafana-managed rules through
 * Prometheus), never the backend's engine: their value is PromQL over the series Prometheus keeps
 * of the scrape job (`up`), beyond what the backend's expressions can say.
 */
export interface ScrapeAlertDefinition extends AlertDescription {
  /** The measured value per instance of the job. */
  promql: (job: string) => string;
  /** Metric families whose dashboard panel the alert links to (the panel that goes blank). */
  shownBy: string[];
  /** promtool cases: only Prometheus can run them. */
  cases: (job: string, context: FixtureContext) => FixtureCase[];
}

/** A run of samples, one per minute: value, value+step, ... (count samples). */
export interface Segment {
  value: number;
  count: number;
  step?: number;
}

export interface FixtureSeries {
  metric: string;
  labels: Labels;
  segments: Segment[];
}

/** A series holding one value for the whole case. */
export interface ConstantSeries {
  metric: string;
  labels: Labels;
  value: number;
}

export interface FixtureCheck {
  /** Minutes after the first sample. */
  atMinute: number;
  /** Severities expected to be firing at that time (none: nothing fires). */
  firing: Severity[];
}

export interface FixtureCase {
  name: string;
  series: FixtureSeries[];
  /** The labels of the alert instance the checks expect (the instance labels). */
  instance: Labels;
  checks: FixtureCheck[];
}

export interface FixtureContext {
  params: Record<string, number>;
  levels: Partial<Record<Severity, LevelSettings>>;
}

/**
 * Either the series that make the measured value equal a given number (the generic cases then
 * probe every threshold: at it, just short of it, before and after `for`), plus cases where a
 * secondary condition keeps the alert quiet; or fully custom cases (baselines, counters).
 */
export type FixtureSpec =
  | {
      kind: 'value';
      /** The labels of the instance the inputs produce. */
      instance: Labels;
      /** Series whose evaluation yields exactly `value` for that instance. */
      inputs: (value: number, context: FixtureContext) => ConstantSeries[];
      /** The smallest meaningful distance from a threshold (1 for counts, 0.01 for ratios, ...). */
      epsilon: number;
      /** Series that must never fire, whatever the thresholds (a secondary condition fails). */
      quietCases?: (context: FixtureContext) => { name: string; series: ConstantSeries[] }[];
    }
  | { kind: 'custom'; cases: (context: FixtureContext) => FixtureCase[] };
