import { TargetStatus } from '../db/target-monitor';
import { LoopStatus } from '../scheduler/loop-runner';

export interface Readiness {
  ready: boolean;
  /** One line per thing that keeps this process from serving, naming it and why. */
  problems: string[];
  /**
   * Reported, not failing readiness: collectors failing on a target that is up. Readiness is about
   * whether this process can serve; one collector (a locked table, a bad custom query) taking the
   * whole API out of service during an incident would be worse. The metric
   * pgg_collector_success and a logged warning say it too.
   */
  degraded?: string[];
  targets: TargetStatus[];
}

/** A loop is late when it has not finished a cycle for this many intervals (plus its budget). */
const LATE_AFTER_INTERVALS = 3;

function loopProblems(
  loops: LoopStatus[],
  targets: TargetStatus[],
  now: number,
): { problems: string[]; degraded: string[] } {
  const up = new Set(targets.filter((t) => t.state === 'up').map((t) => t.name));
  const problems: string[] = [];
  const degraded: string[] = [];
  for (const loop of loops) {
    if (!up.has(loop.target)) continue; // the target's own line says why
    const failing = loop.collectors.filter((c) => c.state === 'failing');
    if (failing.length > 0) {
      degraded.push(
        `degraded: ${loop.target} ${loop.loop} loop: ${failing.map((c) => `collector ${c.name} failing: ${c.error ?? 'error'}`).join('; ')}`,
      );
    }
    // A loop that stops finishing cycles is this process's fault, not a target's: not ready.
    const since = loop.lastCycleEndedAt ?? loop.lastCycleStartedAt;
    if (since !== undefined && now - since > LATE_AFTER_INTERVALS * loop.intervalMs + 60_000) {
      problems.push(
        `degraded: ${loop.target} ${loop.loop} loop: no cycle for ${Math.round((now - since) / 1000)} s`,
      );
    }
  }
  return { problems, degraded };
}

/**
 * Ready when every target this replica runs is up, its loops run on schedule, and memory is not
 * under pressure; failing collectors, and the notes given (bad target files, a lease not renewed),
 * are listed in `degraded` without failing it.
 */
export function assessReadiness(
  targets: TargetStatus[],
  loops: LoopStatus[],
  memory: { underPressure: boolean; rssBytes: number; limitBytes: number },
  now = Date.now(),
  notes: string[] = [],
): Readiness {
  const problems = targets
    .filter((t) => t.state !== 'up')
    .map((t) => `target ${t.name} is ${t.state}${t.reason ? `: ${t.reason}` : ''}`);
  const loopState = loopProblems(loops, targets, now);
  problems.push(...loopState.problems);
  if (memory.underPressure) {
    const mb = (bytes: number) => Math.round(bytes / 1048576);
    problems.push(`degraded: memory ${mb(memory.rssBytes)} MB of the ${mb(memory.limitBytes)} MB ceiling`);
  }
  return { ready: problems.length === 0, problems, degraded: [...loopState.degraded, ...notes], targets };
}
