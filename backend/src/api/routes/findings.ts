import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FindingsQuerySchema, FindingsResponse } from '../../contract/findings';
import { FleetFindingsView } from '../fleet-findings';
import { atLeast, toCheckStatus, toFinding } from '../findings';
import { badRequest, quote } from '../errors';

const DEFAULT_LIMIT = 1000;

/**
 * GET /findings?target&kind&severity&minSeverity&state&limit: the findings held now (open, and
 * resolved within the last day), most severe first, and each kind's check status per target: a
 * failed check is said, not shown as "no findings". The whole fleet's, from any replica (scope
 * says when the store did not answer). (Mounted under /api/v1; read access.)
 */
export const findingsRoutes = (deps: {
  findings: FleetFindingsView;
  kinds: readonly string[];
}): FastifyPluginAsyncTypebox =>
  async function findings(app) {
    app.get(
      '/findings',
      { schema: { querystring: FindingsQuerySchema } },
      async (request): Promise<FindingsResponse> => {
        const q = request.query;
        const unknown = q.kind?.find((k) => !deps.kinds.includes(k));
        if (unknown !== undefined)
          throw badRequest(
            'kind',
            `unknown finding kind ${quote(unknown)} (one of: ${deps.kinds.join(', ')})`,
          );
        const severities = q.minSeverity
          ? atLeast(q.minSeverity).filter((s) => !q.severity || q.severity.includes(s))
          : q.severity;
        const targets = q.target?.length ? q.target : undefined;
        const kinds = q.kind?.length ? q.kind : undefined;
        const answer = await deps.findings({
          ...(targets ? { targets } : {}),
          ...(kinds ? { kinds } : {}),
          ...(severities ? { severities } : {}),
          ...(q.state?.length ? { state: q.state } : {}),
        });
        return {
          findings: answer.findings.slice(0, q.limit ?? DEFAULT_LIMIT).map(toFinding),
          total: answer.findings.length,
          checks: answer.checks.map(toCheckStatus),
          scope: answer.scope,
        };
      },
    );
  };
