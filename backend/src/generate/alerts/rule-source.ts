import { conditionExpr } from '../../alerts/condition-expr';
import { promNumber, renderPromQL } from '../../alerts/expr/render';
import { effectiveLevels, EffectiveRule, RuleOverrides } from '../../alerts/rules';
import { Expr, walk } from '../../catalog/alerts/ast';
import { SCRAPE_ALERTS } from '../../catalog/alerts';
import {
  AlertDescription,
  FixtureCase,
  LevelSettings,
  ScrapeAlertDefinition,
  Severity,
} from '../../catalog/alerts/types';

/**
 * An alert as the rule files need it, whoever else evaluates it: the catalog's alerts (which the
 * backend evaluates too) and the alerts on the backend's own scrape (which only the scraper can).
 */
export interface RuleSource {
  definition: AlertDescription;
  enabled: boolean;
  levels: Partial<Record<Severity, LevelSettings>>;
  /** The measured value as PromQL (a Grafana rule's query). */
  value: string;
  /** One level's condition as PromQL (a Prometheus rule's expr). */
  condition: (severity: Severity) => string;
  /** Metric families or table kinds whose panel shows the alert, the most telling first. */
  shownBy: string[];
  /** Grafana's execErrState: a state of its own, or firing where not knowing is the alert. */
  execErrState: 'Error' | 'Alerting';
  /** Where its rule tests come from: the catalog's fixtures (the backend evaluator runs them too) or the cases of a scrape alert. */
  origin: { kind: 'catalog'; rule: EffectiveRule } | { kind: 'scrape'; cases: FixtureCase[] };
}

/** The families an expression reads, in the order it reads them (its primary family first). */
function familiesInOrder(expr: Expr): string[] {
  const names: string[] = [];
  for (const node of walk(expr))
    if (node.kind === 'selector' && !names.includes(node.metric)) names.push(node.metric);
  return names;
}

export function catalogSource(rule: EffectiveRule): RuleSource {
  return {
    definition: rule.definition,
    enabled: rule.enabled,
    levels: rule.levels,
    value: renderPromQL(rule.value),
    condition: (severity) => conditionExpr(rule, severity),
    shownBy: rule.definition.shownBy ?? familiesInOrder(rule.value),
    execErrState: 'Error',
    origin: { kind: 'catalog', rule },
  };
}

export function scrapeSource(
  definition: ScrapeAlertDefinition,
  override: NonNullable<RuleOverrides[string]>,
  job: string,
): RuleSource {
  const levels = effectiveLevels(definition.levels, override);
  const value = definition.promql(job);
  return {
    definition,
    enabled: override.enabled ?? true,
    levels,
    value,
    condition: (severity) =>
      `(${value}) ${definition.comparator} ${promNumber(levels[severity]?.threshold ?? NaN)}`,
    shownBy: definition.shownBy,
    execErrState: 'Alerting',
    origin: { kind: 'scrape', cases: definition.cases(job, { params: {}, levels }) },
  };
}

/** The scrape alerts with the configured levels, watching `job`. */
export function scrapeSources(overrides: RuleOverrides, job: string): RuleSource[] {
  return SCRAPE_ALERTS.map((definition) => scrapeSource(definition, overrides[definition.id] ?? {}, job));
}
