import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { FastifyRequest } from 'fastify';
import { OneOf } from '../../contract/schema-parts';
import { ModeNotPersistedError, RequestedMode } from '../../governor/operator-modes';
import type { ModeChange } from '../../governor/target-governor';
import { bearerToken } from '../auth';
import { ApiError, quote } from '../errors';

/**
 * What the route needs of the governor (OperatorModes implements it): resolves once the change is
 * durable in the store and in force; rejects with ModeNotPersistedError when the store did not take it.
 */
export interface GovernorModeControl {
  setMode(target: string, mode: RequestedMode, who: string): Promise<ModeChange | undefined>;
}

const ModeParams = Type.Object(
  { target: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

const ModeBody = Type.Object(
  {
    /** "configured": clear the operator's mode, the configured one applies again. */
    mode: OneOf<RequestedMode>(['observe', 'dry-run', 'enforce', 'configured']),
    /** Why, for the journal (e.g. an incident reference). */
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);

const ModeReply = Type.Object({
  target: Type.String(),
  mode: Type.String(),
  previous: Type.String(),
  changed: Type.Boolean(),
  by: Type.String(),
  at: Type.String(),
  /** configured, or operator: kept in the store over the configured mode until cleared. */
  source: Type.String(),
});

// eslint-disable-next-line no-control-regex
const printable = (value: string, max: number) => value.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, max);

/**
 * Who asked, for the journal: the admin token by a short digest (never the token) and the client
 * address, which the backend verified; then the Grafana user the data-source proxy forwards
 * (X-Grafana-User), marked as a claim: any holder of the token can send that header.
 */
function requester(request: FastifyRequest, reason: string | undefined): string {
  const user = request.headers['x-grafana-user'];
  const token = bearerToken(request.headers.authorization);
  const credential = token
    ? `admin token sha256:${createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 8)}`
    : 'no token (API open on loopback)';
  const claim =
    typeof user === 'string' && user !== ''
      ? `, Grafana user "${printable(user, 100)}" (claimed by the Grafana proxy)`
      : '';
  const who = `${credential} from ${request.ip}${claim}`;
  return reason ? `${who} (reason: ${printable(reason, 500)})` : who;
}

/**
 * POST /governor/:target/mode {mode, reason?} — the target's governor mode; admin token. Answers
 * once the mode and its journal event are durable in the store (then in force, across restarts,
 * until mode "configured" clears it), or 503 with nothing changed.
 */
export const governorRoutes = (deps: { governor: GovernorModeControl }): FastifyPluginAsyncTypebox =>
  async function governor(app) {
    app.post(
      '/governor/:target/mode',
      {
        config: { access: 'admin' },
        schema: { params: ModeParams, body: ModeBody, response: { 200: ModeReply } },
      },
      async (request) => {
        const { target } = request.params;
        let change: ModeChange | undefined;
        try {
          change = await deps.governor.setMode(
            target,
            request.body.mode,
            requester(request, request.body.reason),
          );
        } catch (error) {
          if (!(error instanceof ModeNotPersistedError)) throw error;
          throw new ApiError(
            503,
            `mode: not changed, the history store could not record it; the governor of ${quote(target)} stays in ${error.inForce}. Retry when the store is back`,
          );
        }
        if (!change) throw new ApiError(404, `target: no target named ${quote(target)}`);
        return change;
      },
    );
  };
