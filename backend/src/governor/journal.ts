import { GovernorMode } from '../config/schema';
import { Severity, StoredEvent } from '../store/types';
import { CircuitName } from './circuit-breaker';
import { Action, ChosenAction, Decision } from './decision';
import { SignalResult } from './executor';
import { Level } from './levels';

/**
 * The governor's audit trail: every decision and every action as an event in the history store
 * (Grafana annotations). Titles and texts are for people; data is the structured record. Events
 * never carry query text.
 */
export type EventSink = { writeEvent(event: StoredEvent): void };

/** Skipped sessions kept in one event's data (the total is always there). */
export const MAX_SKIPPED_IN_EVENT = 100;
const MAX_SKIPPED_IN_TEXT = 20;

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
const LEVEL_SEVERITY: Record<Level, Severity> = {
  normal: 'info',
  warn: 'warning',
  optimize: 'warning',
  critical: 'critical',
};

function who(a: Pick<ChosenAction, 'usename' | 'datname' | 'applicationName'>): string {
  return `user ${a.usename ?? '?'}, database ${a.datname ?? '?'}, application "${a.applicationName ?? ''}"`;
}

function counts(chosen: ChosenAction[]): string {
  const by = new Map<Action, number>();
  for (const c of chosen) by.set(c.action, (by.get(c.action) ?? 0) + 1);
  return [...by].map(([action, n]) => `${action} ${n}`).join(', ');
}

export interface DecisionContext {
  mode: GovernorMode;
  instance: string;
  /** Identical decisions folded into this one since the last journaled. */
  repeated: number;
}

export function decisionEvent(decision: Decision, context: DecisionContext): StoredEvent {
  const { mode } = context;
  const observe = mode === 'observe';
  const chosen = observe ? [] : decision.chosen;
  const skipped = observe ? [] : decision.skipped;
  const verb = mode === 'enforce' ? '' : 'would ';
  const usage = `${decision.used}/${decision.usable} connections (${percent(decision.usage)})`;
  const lines = [
    `Usage ${usage}: level ${decision.level}${decision.shedding ? `, shedding load: ${decision.need} to go for usage below the optimize threshold` : ''}.`,
    `${decision.candidates} candidate sessions, ${chosen.length} chosen, ${skipped.length} skipped.`,
    ...chosen.map((c) => `- ${verb}${c.action} pid ${c.pid} (${who(c)}): ${c.reason}`),
    ...skipped.slice(0, MAX_SKIPPED_IN_TEXT).map((s) => `- skipped pid ${s.pid}: ${s.why}`),
    ...(skipped.length > MAX_SKIPPED_IN_TEXT
      ? [`- ... ${skipped.length - MAX_SKIPPED_IN_TEXT} more skipped`]
      : []),
    `Mode ${mode}, instance ${context.instance}.${context.repeated > 0 ? ` ${context.repeated} identical decisions folded since the last one journaled.` : ''}`,
  ];
  const actions = [...new Set(chosen.map((c) => c.action))];
  return {
    time: decision.time,
    target: decision.target,
    kind: 'governor_decision',
    severity: LEVEL_SEVERITY[decision.level],
    title: `Governor (${mode}) on ${decision.target}: ${decision.level} at ${percent(decision.usage)}${chosen.length > 0 ? `; ${verb}${counts(chosen)}` : ''}`,
    text: lines.join('\n'),
    tags: ['governor_decision', decision.target, ...actions, decision.level, mode],
    data: {
      mode,
      instance: context.instance,
      level: decision.level,
      usage: decision.usage,
      used: decision.used,
      usable: decision.usable,
      shedding: decision.shedding,
      need: decision.need,
      candidates: decision.candidates,
      chosen: chosen.map(({ requalify, ...c }) => ({ ...c, requalify: { ...requalify } })),
      skipped: skipped.slice(0, MAX_SKIPPED_IN_EVENT),
      skippedTotal: skipped.length,
      limits: {
        ...decision.limits,
        circuit: Number.isFinite(decision.limits.circuit) ? decision.limits.circuit : null,
      },
      repeated: context.repeated,
    },
  };
}

export function actionEvent(
  target: string,
  action: ChosenAction,
  result: SignalResult,
  context: { time: number; instance: string },
): StoredEvent {
  const subject = `${action.action === 'terminate' ? 'terminate' : 'cancel the query of'} pid ${action.pid}`;
  const outcome: Record<SignalResult['outcome'], { title: string; severity: Severity }> = {
    signalled: {
      title: `Governor ${action.action === 'terminate' ? 'terminated' : 'cancelled the query of'} pid ${action.pid}`,
      severity: 'warning',
    },
    not_reverified: { title: `Governor did not ${subject}: it no longer qualified`, severity: 'info' },
    refused: { title: `Governor could not ${subject}: the server refused`, severity: 'critical' },
    error: { title: `Governor could not ${subject}: ${result.error ?? 'error'}`, severity: 'critical' },
  };
  const { title, severity } = outcome[result.outcome];
  return {
    time: context.time,
    target,
    kind: 'intervention',
    severity,
    title: `${title} on ${target}`,
    text: `${action.reason}.\n${who(action)}, ${action.state}.\nResult: ${result.outcome}${result.error ? ` (${result.error})` : ''} in ${result.ms} ms. Instance ${context.instance}.`,
    tags: ['intervention', target, action.action, result.outcome],
    data: {
      instance: context.instance,
      pid: action.pid,
      backendStartUs: action.backendStartUs,
      action: action.action,
      rule: action.rule,
      reason: action.reason,
      state: action.state,
      seconds: action.seconds,
      usename: action.usename,
      datname: action.datname,
      applicationName: action.applicationName,
      result: result.outcome,
      ...(result.error ? { error: result.error } : {}),
      ms: result.ms,
    },
  };
}

const CIRCUIT_SEVERITY: Record<CircuitName, Severity> = {
  open: 'critical',
  'half-open': 'warning',
  closed: 'info',
};

export function circuitEvent(
  target: string,
  change: { from: CircuitName; to: CircuitName; why: string; failures?: number },
  context: { time: number; instance: string },
): StoredEvent {
  const titles: Record<CircuitName, string> = {
    open: `Governor circuit OPEN on ${target}: no more actions until a human looks`,
    'half-open': `Governor circuit half-open on ${target}: one probe action allowed`,
    closed: `Governor circuit closed on ${target}: acting again`,
  };
  return {
    time: context.time,
    target,
    kind: 'governor_decision',
    severity: CIRCUIT_SEVERITY[change.to],
    title: titles[change.to],
    text: `${change.from} -> ${change.to}: ${change.why}. Instance ${context.instance}.`,
    tags: ['governor_decision', target, 'circuit', change.to],
    data: {
      circuit: change.to,
      previous: change.from,
      why: change.why,
      instance: context.instance,
      ...(change.failures !== undefined ? { failures: change.failures } : {}),
    },
  };
}

export function modeEvent(
  target: string,
  change: { from: GovernorMode; to: GovernorMode; who: string },
  context: { time: number; instance: string },
): StoredEvent {
  return {
    time: context.time,
    target,
    kind: 'governor_decision',
    severity: change.to === 'enforce' ? 'warning' : 'info',
    title: `Governor mode on ${target}: ${change.from} -> ${change.to} (by ${change.who})`,
    text: `Changed at run time by ${change.who} at ${new Date(context.time).toISOString()} on instance ${context.instance}. The configured mode applies again after a restart.`,
    tags: ['governor_decision', target, 'mode', change.to],
    data: { mode: change.to, previous: change.from, who: change.who, instance: context.instance },
  };
}

export function leaseEvent(
  target: string,
  change: { held: boolean; holder?: string },
  context: { time: number; instance: string },
): StoredEvent {
  const title = change.held
    ? `Governor lease on ${target} taken by ${context.instance}: this instance acts`
    : `Governor lease on ${target} not held by ${context.instance}${change.holder ? `: ${change.holder} acts` : ''}`;
  return {
    time: context.time,
    target,
    kind: 'governor_decision',
    severity: 'info',
    title,
    text: `${title}. Both keep collecting; only the holder of the lease journals decisions and acts.`,
    tags: ['governor_decision', target, 'lease'],
    data: {
      held: change.held,
      instance: context.instance,
      ...(change.holder ? { holder: change.holder } : {}),
    },
  };
}

export function notRelievedEvent(
  target: string,
  relief: { usedBefore: number; usedAfter: number; usage: number },
  context: { time: number; instance: string },
): StoredEvent {
  return {
    time: context.time,
    target,
    kind: 'intervention',
    severity: 'warning',
    title: `Governor terminations did not relieve ${target}: ${relief.usedBefore} -> ${relief.usedAfter} client backends`,
    text: `The snapshot after the terminations counts ${relief.usedAfter} client backends (${percent(relief.usage)}), not fewer than the ${relief.usedBefore} acted on: clients reconnect as fast as they are cut. Counted as a failed intervention. Instance ${context.instance}.`,
    tags: ['intervention', target, 'terminate', 'not_relieved'],
    data: { ...relief, instance: context.instance },
  };
}
