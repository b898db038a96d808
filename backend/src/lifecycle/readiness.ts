import { TargetStatus } from '../db/target-monitor';
import { LoopStatus } from '../scheduler/loop-runner';

export interface Readiness {
  ready: boolean;
  /** One line per thing that is not right, naming it and why. */
  problems: string[];
  targets: TargetStatus[];
}

/** A loop is late when it has not finished a cycle for this many intervals (plus its budget). */
const LATE_AFTER_INTERVALS = 3;

function loopProblems(loops: LoopStatus[], targets: TargetStatus[], now: number): string[] {
  const up = new Set(targets.filter((t) => t.state === 'up').map((t) => t.name));
  const problems: string[] = [];
  for (const loop of loops) {
    if (!up.has(loop.target)) continue; // the target's own line says why
    const failing = loop.collectors.filter((c) => c.state === 'failing');
    if (failing.length > 0) {
      problems.push(
        `degraded: ${loop.target} ${loop.loop} loop: ${failing.map((c) => `collector ${c.name} failing: ${c.error ?? 'error'}`).join('; ')}`,
      );
    }
    const since = loop.lastCycleEndedAt ?? loop.lastCycleStartedAt;
    if (since !== undefined && now - since > LATE_AFTER_INTERVALS * loop.intervalMs + 60_000) {
      problems.push(
        `degraded: ${loop.target} ${loop.loop} loop: no cycle for ${Math.round((now - since) / 1000)} s`,
      );
    }
  }
  return problems;
}

/** Ready when every enabled target is up, its loops run on schedule, and memory is not under pressure. */
export function assessReadiness(
  targets: TargetStatus[],
  loops: LoopStatus[],
  memory: { underPressure: boolean; rssBytes: number; limitBytes: number },
  now = Date.now(),
): Readiness {
  const problems = targets
    .filter((t) => t.state !== 'up')
    .map((t) => `target ${t.name} is ${t.state}${t.reason ? `: ${t.reason}` : ''}`);
  problems.push(...loopProblems(loops, targets, now));
  if (memory.underPressure) {
    const mb = (bytes: number) => Math.round(bytes / 1048576);
    problems.push(`degraded: memory ${mb(memory.rssBytes)} MB of the ${mb(memory.limitBytes)} MB ceiling`);
  }
  return { ready: problems.length === 0, problems, targets };
}
