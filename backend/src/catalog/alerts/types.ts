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

/** One alert of the catalog. Templates use {{label.<name>}}, {{value}} and {{threshold}}. */
export interface AlertDefinition {
  /** snake_case: the key under alerts.rules in the configuration. */
  id: string;
  /** The alertname label: CamelCase, stable (dashboards, silences and routing use it). */
  name: string;
  /** PagerDuty class and rule group: connections, sessions, locks, vacuum, ... */
  category: string;
  /** PagerDuty component. */
  component: 'postgresql' | 'pgbouncer' | 'pg-governor';
  summary: string;
  description: string;
  /** What to check and what to do, for whoever is paged. */
  runbook: string;
  unit: ValueUnit;
  comparator: Comparator;
  /** Default thresholds by severity; a configuration may override each. */
  levels: Partial<Record<Severity, LevelSettings>>;
  /** Secondary numbers of the condition (minimum rows, windows, floors), configurable as well. */
  params?: Record<string, number>;
  /** The labels that identify one instance of the alert (the dedupe key); the expression keeps exactly these. */
  instanceLabels: string[];
  /** The measured value per instance, before the threshold comparison. */
  value: (params: Record<string, number>) => Expr;
  /** Input series for the rule tests (promtool and the backend evaluator run the same cases). */
  fixtures: FixtureSpec;
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
