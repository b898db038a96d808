import { TargetStatus } from '../db/target-monitor';

export interface Readiness {
  ready: boolean;
  /** One line per thing that is not right, naming it and why. */
  problems: string[];
  targets: TargetStatus[];
}

/** Ready when every enabled target is up and the process is not under memory pressure. */
export function assessReadiness(targets: TargetStatus[], memory: { underPressure: boolean; rssBytes: number; limitBytes: number }): Readiness {
  const problems = targets
    .filter((t) => t.state !== 'up')
    .map((t) => `target ${t.name} is ${t.state}${t.reason ? `: ${t.reason}` : ''}`);
  if (memory.underPressure) {
    const mb = (bytes: number) => Math.round(bytes / 1048576);
    problems.push(`degraded: memory ${mb(memory.rssBytes)} MB of the ${mb(memory.limitBytes)} MB ceiling`);
  }
  return { ready: problems.length === 0, problems, targets };
}
