import { GovernorMode } from '../config/schema';
import { Decision } from './decision';
import { decisionEvent, EventSink } from './journal';
import { atLeast, Level } from './levels';

/**
 * Which decisions of one target become events. Journaled: every decision at level warn or above,
 * every one that chose or skipped a session, and every change of level (back to normal included).
 * Under sustained pressure the hot loop decides every second or so; a decision identical to the
 * last one journaled (same mode, level, choices and skips) within journal_repeat_s is folded into
 * the next event written (data.repeated) rather than written again.
 */
export class DecisionJournal {
  private lastLevel: Level = 'normal';
  private last: { signature: string; at: number } | undefined;
  private folded = 0;

  constructor(private readonly sink: EventSink) {}

  /** Whether an event was written. */
  record(
    decision: Decision,
    context: { mode: GovernorMode; instance: string; repeatS: number; now: number },
  ): boolean {
    const levelChanged = decision.level !== this.lastLevel;
    this.lastLevel = decision.level;
    const observe = context.mode === 'observe';
    const acted = !observe && (decision.chosen.length > 0 || decision.skipped.length > 0);
    if (!levelChanged && !acted && !atLeast(decision.level, 'warn')) return false;

    const signature = JSON.stringify([
      context.mode,
      decision.level,
      observe ? [] : decision.chosen.map((c) => [c.pid, c.backendStartUs, c.action, c.rule]),
      observe ? [] : decision.skipped.map((s) => [s.pid, s.backendStartUs, s.why]),
    ]);
    const last = this.last;
    if (
      !levelChanged &&
      last &&
      last.signature === signature &&
      context.now - last.at < context.repeatS * 1000
    ) {
      this.folded += 1;
      return false;
    }
    this.sink.writeEvent(
      decisionEvent(decision, { mode: context.mode, instance: context.instance, repeated: this.folded }),
    );
    this.last = { signature, at: context.now };
    this.folded = 0;
    return true;
  }
}
