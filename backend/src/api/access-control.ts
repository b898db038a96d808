import { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { Access, bearerToken, TokenSet } from './auth';
import { ApiError } from './errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; without it the path decides (see accessFor). */
    access?: Access;
  }
}

const OPEN_PATHS = new Set(['/healthz', '/readyz']);

/**
 * What a request needs: probes are open, /metrics is open unless protected, everything under
 * /api/ needs a read token (routes that change things declare `config: { access: 'admin' }`),
 * anything else is a 404 for anyone.
 */
export function accessFor(path: string, routeAccess: Access | undefined, protectMetrics: boolean): Access {
  if (routeAccess) return routeAccess;
  if (OPEN_PATHS.has(path)) return 'open';
  if (path === '/metrics') return protectMetrics ? 'read' : 'open';
  if (path === '/api' || path.startsWith('/api/')) return 'read';
  return 'open';
}

function deny(reply: FastifyReply, status: 401 | 403, message: string): never {
  reply.header('WWW-Authenticate', 'Bearer realm="pg-governor"');
  throw new ApiError(status, message);
}

/** The onRequest hook that enforces bearer tokens. The token itself is never logged or echoed. */
export function accessControl(tokens: TokenSet, protectMetrics: boolean): onRequestAsyncHookHandler {
  return async function checkAccess(request: FastifyRequest, reply: FastifyReply) {
    if (tokens.open) return;
    const path = request.url.split('?', 1)[0] ?? '';
    const needed = accessFor(path, request.routeOptions.config?.access, protectMetrics);
    if (needed === 'open') return;
    const token = bearerToken(request.headers.authorization);
    if (token === undefined)
      deny(reply, 401, 'authorization: a bearer token is required (Authorization: Bearer <token>)');
    const granted = tokens.grant(token);
    if (granted === undefined) deny(reply, 401, 'authorization: the bearer token is not valid');
    if (needed === 'admin' && granted !== 'admin')
      deny(reply, 403, 'authorization: this route needs an admin token');
  };
}
