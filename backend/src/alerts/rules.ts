import { ALERT_CATALOG } from '../catalog/alerts';
import { AlertsConfig } from '../config/alerts-schema';
import { Expr } from '../catalog/alerts/ast';
import { AlertDefinition, LevelSettings, Severity, SEVERITIES } from '../catalog/alerts/types';

/** An alert with the thresholds in effect (defaults merged with the configuration). */
export interface EffectiveRule {
  definition: AlertDefinition;
  enabled: boolean;
  levels: Partial<Record<Severity, LevelSettings>>;
  params: Record<string, number>;
  /** The measured value, built with the effective params. */
  value: Expr;
}

/** Overrides of thresholds, `for` and params, in the configuration's shape (all optional). */
export type RuleOverrides = Partial<
  Record<
    string,
    { enabled?: boolean; params?: Record<string, number> } & Partial<Record<Severity, Partial<LevelSettings>>>
  >
>;

/**
 * The catalog with the thresholds in effect: each alert's defaults, overridden by the
 * configuration (alerts.rules), with the measured-value expression built from the effective params.
 */
export function effectiveRules(
  overrides: RuleOverrides | AlertsConfig['rules'] = {},
  catalog: readonly AlertDefinition[] = ALERT_CATALOG,
): EffectiveRule[] {
  return catalog.map((definition) => {
    const override = (overrides as RuleOverrides)[definition.id] ?? {};
    const levels = effectiveLevels(definition.levels, override);
    const params = { ...definition.params, ...override.params };
    return { definition, enabled: override.enabled ?? true, levels, params, value: definition.value(params) };
  });
}

/** An alert's default levels with the configured thresholds and `for` over them. */
export function effectiveLevels(
  defaults: Partial<Record<Severity, LevelSettings>>,
  override: NonNullable<RuleOverrides[string]>,
): Partial<Record<Severity, LevelSettings>> {
  const levels: Partial<Record<Severity, LevelSettings>> = {};
  for (const severity of SEVERITIES) {
    const base = defaults[severity];
    if (base) levels[severity] = { ...base, ...override[severity] };
  }
  return levels;
}

/** The levels of a rule, lowest severity first. */
export function levelsOf(rule: {
  levels: Partial<Record<Severity, LevelSettings>>;
}): { severity: Severity; level: LevelSettings }[] {
  return SEVERITIES.flatMap((severity) => {
    const level = rule.levels[severity];
    return level ? [{ severity, level }] : [];
  });
}
