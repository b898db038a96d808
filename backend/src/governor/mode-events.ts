import { GovernorMode } from '../config/schema';
import { StoredEvent } from '../store/types';
import { describeOrigin, ModeOrigin } from './mode-origin';

/**
 * Journal events of the modes operators set (OperatorModes): each says which mode is in force and
 * why, so that the journal never has to be read against the configuration to be understood.
 */
interface Context {
  time: number;
  instance: string;
  configured: GovernorMode;
}

/** An operator set a mode, or cleared theirs (origin configured): stored with it, in one transaction. */
export function operatorModeEvent(
  target: string,
  change: { from: GovernorMode; to: GovernorMode; origin: ModeOrigin; who: string },
  context: Context,
): StoredEvent {
  const cleared = change.origin.source === 'configured';
  const why = cleared
    ? `${change.who} cleared the operator's mode: the configured mode (${context.configured}) applies`
    : `${describeOrigin(change.origin)}; kept across restarts, over the configured mode (${context.configured}), until an operator sets mode "configured"`;
  return {
    time: context.time,
    target,
    kind: 'governor_decision',
    severity: change.to === 'enforce' ? 'warning' : 'info',
    title: `Governor mode on ${target}: ${change.from} -> ${change.to} (by ${change.who})`,
    text: `${why}. Instance ${context.instance}.`,
    tags: ['governor_decision', target, 'mode', change.to],
    data: {
      mode: change.to,
      previous: change.from,
      who: change.who,
      source: change.origin.source,
      configured: context.configured,
      instance: context.instance,
    },
  };
}

/** At start: an operator's mode read back from the store is in force again. */
export function restoredModeEvent(
  target: string,
  restored: { from: GovernorMode; to: GovernorMode; origin: ModeOrigin },
  context: Context,
): StoredEvent {
  const origin = describeOrigin(restored.origin);
  return {
    time: context.time,
    target,
    kind: 'governor_decision',
    severity: restored.to === 'enforce' ? 'warning' : 'info',
    title: `Governor mode on ${target}: ${restored.to} (${origin}; restored at start)`,
    text: `The operator's mode ${restored.to}, ${origin}, is in force again after a start, over the configured mode (${context.configured}), until an operator sets mode "configured". Instance ${context.instance}.`,
    tags: ['governor_decision', target, 'mode', restored.to, 'restored'],
    data: {
      mode: restored.to,
      previous: restored.from,
      source: restored.origin.source,
      configured: context.configured,
      instance: context.instance,
      ...(restored.origin.source === 'operator'
        ? { who: restored.origin.by, setAt: new Date(restored.origin.at).toISOString() }
        : {}),
    },
  };
}
