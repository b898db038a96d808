import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LivenessSchema, ReadinessReport, ReadinessReportSchema } from '../../contract/health';
import { Readiness } from '../../lifecycle/readiness';

/**
 * /healthz: the process answers (liveness). /readyz: targets reachable, loops running, memory fine;
 * names what is not (problems) and what works less well without failing it (degraded).
 */
export const healthRoutes = (readiness: () => Readiness): FastifyPluginAsyncTypebox =>
  async function health(app) {
    app.get(
      '/healthz',
      { config: { access: 'open' }, schema: { response: { 200: LivenessSchema } } },
      async () => ({ status: 'ok' }),
    );

    app.get(
      '/readyz',
      {
        config: { access: 'open' },
        schema: { response: { 200: ReadinessReportSchema, 503: ReadinessReportSchema } },
      },
      async (_request, reply) => {
        const r = readiness();
        const report: ReadinessReport = {
          status: r.ready ? 'ready' : 'not ready',
          problems: r.problems,
          degraded: r.degraded ?? [],
          targets: r.targets.map((t) => ({
            name: t.name,
            state: t.state,
            ...(t.reason ? { reason: t.reason } : {}),
            since: t.since,
            ...(t.server
              ? { major: t.server.major, pgStatStatements: t.server.pgStatStatements.usable }
              : {}),
          })),
        };
        return reply.code(r.ready ? 200 : 503).send(report);
      },
    );
  };
