import { TargetStatus } from '../db/target-monitor';
import { LoopStatus } from '../scheduler/loop-runner';

export interface Readiness {
  ready: boolean;
  /** One line per thing that keeps this process from serving, naming it and why. */
  problems: string[];
  /**
   * Reported, not failing readiness: targets that are not up, and collectors failing on a target
   * that is up. Readiness is about whether this process can serve; a database outage (or one bad
   * collector) taking the API out of a load balancer, on every replica that watches it, would hide
   * the outage from the dashboards exactly when they are needed. `targets` and pgg_target_up,
   * pgg_collector_success and the log say it too.
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
 * Ready when the loops run on schedule and memory is not under pressure: what this process needs
 * to serve. Targets that are not up, failing collectors, and the notes given (bad target files, a
 * lease not renewed) are listed in `degraded` without failing it.
 */
export function assessReadiness(
  targets: TargetStatus[],
  loops: LoopStatus[],
  memory: { underPressure: boolean; rssBytes: number; limitBytes: number },
  now = Date.now(),
  notes: string[] = [],
): Readiness {
  const down = targets
    .filter((t) => t.state !== 'up')
    .map((t) => `target ${t.name} is ${t.state}${t.reason ? `: ${t.reason}` : ''}`);
  const loopState = loopProblems(loops, targets, now);
  const problems = [...loopState.problems];
  if (memory.underPressure) {
    const mb = (bytes: number) => Math.round(bytes / 1048576);
    problems.push(`degraded: memory ${mb(memory.rssBytes)} MB of the ${mb(memory.limitBytes)} MB ceiling`);
  }
  return {
    ready: problems.length === 0,
    problems,
    degraded: [...down, ...loopState.degraded, ...notes],
    targets,
  };
}
