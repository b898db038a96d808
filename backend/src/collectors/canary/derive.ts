import { Sample } from '../types';

/** What one canary cycle measured: wall-clock seconds around each statement, and the plan it got. */
export interface CanaryTimings {
  /** SELECT 1, from sending it to its result (or to its cancellation by the statement timeout). */
  roundtripSeconds: number;
  /** The EXPLAIN ANALYZE; undefined when it did not run (SELECT 1 was cut). */
  explainSeconds?: number;
  /** The EXPLAIN's `QUERY PLAN` cell (FORMAT JSON): undefined when the statement was cut. */
  plan?: unknown;
}

/** The parts of an EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) result the canary reads. */
interface PlanReport {
  'Planning Time'?: unknown;
  'Execution Time'?: unknown;
  Planning?: { 'Shared Read Blocks'?: unknown };
  /** The top node: its buffer counts include its children's. */
  Plan?: { 'Shared Read Blocks'?: unknown };
}

const number = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** The one report of the plan cell: the driver parses json columns, yet a text cell is accepted too. */
function planReport(plan: unknown): PlanReport | undefined {
  let parsed = plan;
  if (typeof plan === 'string') {
    try {
      parsed = JSON.parse(plan) as unknown;
    } catch {
      return undefined;
    }
  }
  const [report] = Array.isArray(parsed) ? (parsed as unknown[]) : [];
  return typeof report === 'object' && report !== null ? (report as PlanReport) : undefined;
}

/**
 * The canary's latencies in seconds: both round trips as measured, and from the plan the planning
 * and execution time it reports (milliseconds there) and the shared blocks it had to read.
 */
export function deriveCanary(timings: CanaryTimings): Sample[] {
  const samples: Sample[] = [];
  const add = (metric: string, value: number | undefined) => {
    if (value !== undefined) samples.push({ metric, labels: {}, value });
  };
  add('pg_canary_roundtrip_seconds', timings.roundtripSeconds);
  add('pg_canary_explain_seconds', timings.explainSeconds);
  const report = planReport(timings.plan);
  if (!report) return samples;
  const ms = (value: unknown) => {
    const n = number(value);
    return n === undefined ? undefined : n / 1000;
  };
  add('pg_canary_planning_seconds', ms(report['Planning Time']));
  add('pg_canary_execution_seconds', ms(report['Execution Time']));
  const read = [report.Plan?.['Shared Read Blocks'], report.Planning?.['Shared Read Blocks']].map(number);
  if (read.some((n) => n !== undefined))
    add(
      'pg_canary_shared_blocks_read',
      read.reduce<number>((sum, n) => sum + (n ?? 0), 0),
    );
  return samples;
}
