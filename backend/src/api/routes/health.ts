import { FastifyPluginAsync } from 'fastify';
import { Readiness } from '../../lifecycle/readiness';

const targetSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    state: { type: 'string' },
    reason: { type: 'string' },
    since: { type: 'string' },
    major: { type: 'integer' },
    pgStatStatements: { type: 'boolean' },
  },
} as const;

const readinessSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ready', 'not ready'] },
    problems: { type: 'array', items: { type: 'string' } },
    /** Reported without failing readiness: collectors failing on a target that is up. */
    degraded: { type: 'array', items: { type: 'string' } },
    targets: { type: 'array', items: targetSchema },
  },
} as const;

/**
 * /healthz: the process answers (liveness). /readyz: targets reachable, loops running, memory fine;
 * names what is not (problems) and what works less well without failing it (degraded).
 */
export const healthRoutes = (readiness: () => Readiness): FastifyPluginAsync =>
  async function health(app) {
    app.get(
      '/healthz',
      {
        config: { access: 'open' },
        schema: { response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } },
      },
      async () => ({ status: 'ok' }),
    );

    app.get(
      '/readyz',
      { config: { access: 'open' }, schema: { response: { 200: readinessSchema, 503: readinessSchema } } },
      async (_request, reply) => {
        const r = readiness();
        return reply.code(r.ready ? 200 : 503).send({
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
        });
      },
    );
  };
