import { compare, evaluateExpr, EvaluationInput } from './expr/evaluate';
import { formatLabels, SampleView, WindowView } from './expr/vector';
import { EffectiveRule, levelsOf } from './rules';
import { renderForBackend } from './templates';
import { Labels, Severity, SEVERITIES } from '../catalog/alerts/types';

/**
 * The backend's alert evaluation: a pure function of the rules, the latest samples (and the kept
 * windows that range functions read), the previous state and the time. Like Prometheus, an
 * instance is pending while its condition holds for less than the level's `for`, firing after,
 * resolved when it stops holding. One instance per alert and label set (the dedupe key) carries the
 * highest severity that fires: warning and critical of one alert are one alert that escalates.
 */

export interface InstanceState {
  key: string;
  alertId: string;
  /** The labels of the measured value (target, datname, ...). */
  instance: Labels;
  /** When each severity's condition began to hold, without interruption (ms). */
  holdingSince: Partial<Record<Severity, number>>;
  /** When any level's condition began to hold (Prometheus' activeAt). */
  activeAt: number;
  firing?: { severity: Severity; since: number };
  value: number;
}

export type AlertState = ReadonlyMap<string, InstanceState>;

export interface ActiveAlert {
  key: string;
  alertId: string;
  alertname: string;
  state: 'pending' | 'firing';
  severity: Severity;
  /** The alert's labels as the rule files give them: alertname, severity, category, component, pgg_alert, and the instance's. */
  labels: Labels;
  value: number;
  threshold: number;
  activeAt: number;
  /** When it began firing at this severity (firing only). */
  firingSince?: number;
  summary: string;
  description: string;
}

export type TransitionKind = 'pending' | 'firing' | 'resolved';

export interface Transition {
  key: string;
  alertId: string;
  alertname: string;
  to: TransitionKind;
  severity: Severity;
  /** A firing alert that changed severity (escalation or de-escalation). */
  previousSeverity?: Severity;
  labels: Labels;
  value: number;
  threshold: number;
  at: number;
  activeAt: number;
  summary: string;
  description: string;
}

export interface EvaluationResult {
  state: AlertState;
  active: ActiveAlert[];
  transitions: Transition[];
  /** Rules that could not be evaluated this time (their instances keep their previous state). */
  errors: { alertId: string; message: string }[];
}

export interface EvaluateAlertsInput {
  rules: readonly EffectiveRule[];
  samples: SampleView;
  windows: WindowView;
  state: AlertState;
  now: number;
}

/** The dedupe key: alert name and instance labels, e.g. PgLongTransaction{datname="app", target="main"}. */
export function dedupeKey(rule: EffectiveRule, instance: Labels): string {
  return `${rule.definition.name}${formatLabels(instance)}`;
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);
const highest = (severities: Severity[]): Severity | undefined =>
  [...severities].sort((a, b) => rank(b) - rank(a))[0];

/**
 * The severities whose condition has held for at least their level's `for` (each fires in a rule
 * file, where every level is its own rule; the backend keeps the highest).
 */
export function dueSeverities(
  rule: EffectiveRule,
  holdingSince: Partial<Record<Severity, number>>,
  now: number,
): Severity[] {
  return (Object.entries(holdingSince) as [Severity, number][])
    .filter(([severity, since]) => now - since >= (rule.levels[severity]?.for_s ?? 0) * 1000)
    .map(([severity]) => severity);
}

export function alertLabels(rule: EffectiveRule, instance: Labels, severity: Severity): Labels {
  const d = rule.definition;
  return {
    ...instance,
    alertname: d.name,
    severity,
    category: d.category,
    component: d.component,
    pgg_alert: d.id,
  };
}

function texts(rule: EffectiveRule, instance: Labels, value: number, threshold: number) {
  const values = { labels: instance, value, threshold, unit: rule.definition.unit };
  return {
    summary: renderForBackend(rule.definition.summary, values),
    description: renderForBackend(rule.definition.description, values),
  };
}

function transition(
  rule: EffectiveRule,
  state: InstanceState,
  to: TransitionKind,
  severity: Severity,
  now: number,
  previousSeverity?: Severity,
): Transition {
  const threshold = rule.levels[severity]?.threshold ?? NaN;
  return {
    key: state.key,
    alertId: rule.definition.id,
    alertname: rule.definition.name,
    to,
    severity,
    ...(previousSeverity ? { previousSeverity } : {}),
    labels: alertLabels(rule, state.instance, severity),
    value: state.value,
    threshold,
    at: now,
    activeAt: state.activeAt,
    ...texts(rule, state.instance, state.value, threshold),
  };
}

/** One instance of one rule whose value holds at least one level now. */
function step(
  rule: EffectiveRule,
  previous: InstanceState | undefined,
  instance: Labels,
  value: number,
  holding: Severity[],
  now: number,
  transitions: Transition[],
): InstanceState {
  const key = dedupeKey(rule, instance);
  const holdingSince: Partial<Record<Severity, number>> = {};
  for (const s of holding) holdingSince[s] = previous?.holdingSince[s] ?? now;
  const fires = highest(dueSeverities(rule, holdingSince, now));
  const wasFiring = previous?.firing;
  // Firing stopped although a level still holds (its `for` not yet met): resolved, then pending anew.
  const restart = wasFiring !== undefined && fires === undefined;
  const next: InstanceState = {
    key,
    alertId: rule.definition.id,
    instance,
    holdingSince,
    activeAt: previous && !restart ? previous.activeAt : now,
    value,
    ...(fires
      ? { firing: { severity: fires, since: wasFiring?.severity === fires ? wasFiring.since : now } }
      : {}),
  };
  if (restart) transitions.push(transition(rule, next, 'resolved', wasFiring.severity, now));
  if (fires && wasFiring?.severity !== fires) {
    transitions.push(transition(rule, next, 'firing', fires, now, wasFiring?.severity));
  } else if (!fires && (!previous || restart)) {
    transitions.push(transition(rule, next, 'pending', highest(holding) as Severity, now));
  }
  return next;
}

function active(rule: EffectiveRule, s: InstanceState): ActiveAlert {
  const severity = s.firing?.severity ?? highest(Object.keys(s.holdingSince) as Severity[]) ?? 'info';
  const threshold = rule.levels[severity]?.threshold ?? NaN;
  return {
    key: s.key,
    alertId: rule.definition.id,
    alertname: rule.definition.name,
    state: s.firing ? 'firing' : 'pending',
    severity,
    labels: alertLabels(rule, s.instance, severity),
    value: s.value,
    threshold,
    activeAt: s.activeAt,
    ...(s.firing ? { firingSince: s.firing.since } : {}),
    ...texts(rule, s.instance, s.value, threshold),
  };
}

/**
 * The evaluation, rule by rule: stops after each rule (so that a caller can let the event loop
 * run between them; the input is not changed meanwhile) and returns the result at the end.
 */
function* evaluation(input: EvaluateAlertsInput): Generator<void, EvaluationResult> {
  const next = new Map<string, InstanceState>();
  const transitions: Transition[] = [];
  const errors: EvaluationResult['errors'] = [];
  const expressionInput: EvaluationInput = { samples: input.samples, windows: input.windows, now: input.now };
  // The previous instances of each alert, in the state's order (once, not a pass a rule).
  const previousByAlert = new Map<string, InstanceState[]>();
  for (const s of input.state.values()) {
    const list = previousByAlert.get(s.alertId);
    if (list) list.push(s);
    else previousByAlert.set(s.alertId, [s]);
  }

  for (const rule of input.rules) {
    if (!rule.enabled) continue;
    const previous = previousByAlert.get(rule.definition.id) ?? [];
    let vector;
    try {
      vector = evaluateExpr(rule.value, expressionInput);
    } catch (error) {
      errors.push({ alertId: rule.definition.id, message: (error as Error).message });
      for (const s of previous) next.set(s.key, s);
      yield;
      continue;
    }
    const levels = levelsOf(rule);
    for (const series of vector) {
      const holding = levels
        .filter(({ level }) => compare(series.value, rule.definition.comparator, level.threshold))
        .map(({ severity }) => severity);
      if (holding.length === 0) continue;
      const key = dedupeKey(rule, series.labels);
      if (next.has(key)) continue; // the expression keeps one series per instance; be safe
      next.set(
        key,
        step(rule, input.state.get(key), series.labels, series.value, holding, input.now, transitions),
      );
    }
    for (const s of previous) {
      if (next.has(s.key) || !s.firing) continue;
      transitions.push(transition(rule, s, 'resolved', s.firing.severity, input.now));
    }
    yield;
  }

  const rulesById = new Map(input.rules.map((r) => [r.definition.id, r]));
  const list = [...next.values()]
    .map((s) => active(rulesById.get(s.alertId) as EffectiveRule, s))
    .sort(
      (a, b) =>
        (a.state === b.state ? 0 : a.state === 'firing' ? -1 : 1) ||
        rank(b.severity) - rank(a.severity) ||
        a.key.localeCompare(b.key),
    );
  return { state: next, active: list, transitions, errors };
}

export function evaluateAlerts(input: EvaluateAlertsInput): EvaluationResult {
  const steps = evaluation(input);
  for (;;) {
    const { done, value } = steps.next();
    if (done) return value;
  }
}

/**
 * The same evaluation, awaiting `pause` after each rule: with a TurnBudget's, a replica's rules over
 * 200 targets (tens of milliseconds) no longer hold the event loop in one block.
 */
export async function evaluateAlertsInTurns(
  input: EvaluateAlertsInput,
  pause: () => Promise<void>,
): Promise<EvaluationResult> {
  const steps = evaluation(input);
  for (;;) {
    const { done, value } = steps.next();
    if (done) return value;
    await pause();
  }
}

/** An empty window view, for rules that use no range function or a first evaluation. */
export const NO_WINDOWS: WindowView = { range: () => [] };
