import { createHash } from 'node:crypto';
import { Static, Type } from '@sinclair/typebox';
import { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { GovernorMode } from '../../config/schema';
import type { ModeChange } from '../../governor/target-governor';
import { bearerToken } from '../auth';
import { ApiError, quote } from '../errors';

/** What the route needs of the governor (Governor implements it). */
export interface GovernorModeControl {
  setMode(target: string, mode: GovernorMode, who: string): ModeChange | undefined;
}

const ModeParams = Type.Object(
  { target: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

const ModeBody = Type.Object(
  {
    mode: Type.String({ enum: ['observe', 'dry-run', 'enforce'] }),
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
});

// eslint-disable-next-line no-control-regex
const printable = (value: string, max: number) => value.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, max);

/**
 * Who asked, for the journal: the Grafana user when the data-source proxy forwards it
 * (X-Grafana-User), the admin token by a short digest (never the token), and the client address.
 */
function requester(request: FastifyRequest, reason: string | undefined): string {
  const user = request.headers['x-grafana-user'];
  const token = bearerToken(request.headers.authorization);
  const credential = token
    ? `admin token sha256:${createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 8)}`
    : 'no token (API open on loopback)';
  const who = `${typeof user === 'string' && user !== '' ? `${printable(user, 100)} via ` : ''}${credential} from ${request.ip}`;
  return reason ? `${who} (reason: ${printable(reason, 500)})` : who;
}

/** POST /governor/:target/mode {mode, reason?} — the target's governor mode at run time; admin token. */
export const governorRoutes = (deps: { governor: GovernorModeControl }): FastifyPluginAsync =>
  async function governor(app) {
    app.post<{ Params: Static<typeof ModeParams>; Body: Static<typeof ModeBody> }>(
      '/governor/:target/mode',
      {
        config: { access: 'admin' },
        schema: { params: ModeParams, body: ModeBody, response: { 200: ModeReply } },
      },
      async (request) => {
        const { target } = request.params;
        const change = deps.governor.setMode(
          target,
          request.body.mode as GovernorMode,
          requester(request, request.body.reason),
        );
        if (!change) throw new ApiError(404, `target: no target named ${quote(target)}`);
        return change;
      },
    );
  };
