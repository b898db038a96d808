import { FastifyBaseLogger } from 'fastify';
import { QueryRequest } from '../../contract/query';
import { ApiError, badRequest, quote } from '../errors';
import { Frame, frameJson } from '../frames';
import { stepMs } from '../step';
import { resolveRange } from '../time-range';
import { QueryContext, QueryWindow } from './context';
import { planTable, runTable, TablePlan } from './table';
import { planTimeSeries, runTimeSeries, TimeSeriesPlan } from './timeseries';

/** One refId's answer (the contract's RefIdResult), its frames maybe already JSON text (time series). */
type RefIdAnswer = { frames: Frame[] } | { error: string };

const DEFAULT_MAX_DATA_POINTS = 1000;

type Plan = (TimeSeriesPlan | TablePlan) & { hidden: boolean };

/**
 * Checks every query first (a malformed request is a 400 as a whole, naming the field), then runs
 * them concurrently, each on its own: a refId that fails gets an error and the others their frames.
 * Returns the contract's QueryResponse as JSON text.
 */
export async function runQueryRequest(
  request: QueryRequest,
  context: QueryContext,
  options: { retentionDays: number; now: number; log: FastifyBaseLogger },
): Promise<string> {
  const range = resolveRange(request.range, {
    field: 'range',
    retentionDays: options.retentionDays,
    now: options.now,
  });
  const window: QueryWindow = {
    range,
    stepMs: stepMs(range, request.intervalMs ?? 1, request.maxDataPoints ?? DEFAULT_MAX_DATA_POINTS),
  };

  const seen = new Set<string>();
  const plans: Plan[] = request.queries.map((query, i) => {
    const field = `queries[${i}]`;
    if (seen.has(query.refId))
      throw badRequest(`${field}.refId`, `${quote(query.refId)} is used by another query`);
    seen.add(query.refId);
    const plan =
      query.kind === 'timeseries'
        ? planTimeSeries(query, field, context, window)
        : planTable(query, field, context, range, options);
    return { ...plan, hidden: query.hide === true };
  });

  const answers = await Promise.all(
    plans.map(async (plan) => [plan.refId, await runOne(plan, context, options.log)] as const),
  );
  // Written out by hand to splice the serialized frames in; refIds are unique (checked above).
  const results = answers.map(([refId, answer]) => `${JSON.stringify(refId)}:${refIdJson(answer)}`);
  return `{"results":{${results.join(',')}}}`;
}

const refIdJson = (answer: RefIdAnswer): string =>
  'error' in answer ? JSON.stringify(answer) : `{"frames":[${answer.frames.map(frameJson).join(',')}]}`;

async function runOne(plan: Plan, context: QueryContext, log: FastifyBaseLogger): Promise<RefIdAnswer> {
  if (plan.hidden) return { frames: [] };
  try {
    return {
      frames: plan.kind === 'timeseries' ? await runTimeSeries(plan, context) : await runTable(plan, context),
    };
  } catch (error) {
    if (error instanceof ApiError) return { error: error.message };
    log.error({ err: error, refId: plan.refId, kind: plan.kind }, 'panel query failed');
    return { error: 'the query failed: the history store did not answer (the backend log has the details)' };
  }
}
