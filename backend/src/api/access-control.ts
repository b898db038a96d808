import { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { Access, bearerToken, TokenSet } from './auth';
import { ApiError } from './errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; a route that declares nothing needs a read token. */
    access?: Access;
  }
}

/**
 * What a request needs, decided on the route that will run (fastify's matched route, after the
 * router has decoded the path), never on the raw URL: `/%61pi/v1/overview` runs the overview
 * route and needs what it needs. A route that declares nothing, and a path that matches no route
 * (the 404 handler), need a read token: deny by default.
 */
export function requiredAccess(routeConfig: { access?: Access } | undefined): Access {
  return routeConfig?.access ?? 'read';
}

function deny(reply: FastifyReply, status: 401 | 403, message: string): never {
  reply.header('WWW-Authenticate', 'Bearer realm="pg-governor"');
  throw new ApiError(status, message);
}

/** The onRequest hook that enforces bearer tokens. The token itself is never logged or echoed. */
export function accessControl(tokens: TokenSet): onRequestAsyncHookHandler {
  return async function checkAccess(request: FastifyRequest, reply: FastifyReply) {
    if (tokens.open) return;
    const needed = requiredAccess(request.routeOptions.config);
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

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

/**
 * Every route the server will serve and the access it needs, filled in as routes register (call
 * before registering any): logged at start, so what is open is stated rather than inferred.
 */
export function routeAccessTable(app: FastifyInstance): RouteAccess[] {
  const table: RouteAccess[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods)
      table.push({ method, url: route.url, access: requiredAccess(route.config) });
  });
  return table;
}
