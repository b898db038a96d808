import { STATUS_CODES } from 'node:http';
import { ErrorObject } from 'ajv';
import { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorBody } from '../contract/errors';
import { ApiError } from './errors';
import { RequestPart, validationMessage } from './validation-message';

const GENERIC_500 = 'the request failed unexpectedly; the backend log has the details';

/** Status and body for an error: the client's own mistakes as they are, anything else a generic 500. */
export function mapError(error: FastifyError | ApiError | Error): {
  status: number;
  body: ErrorBody;
  log: boolean;
} {
  const validation = (error as FastifyError).validation as ErrorObject[] | undefined;
  if (validation) {
    const part = ((error as FastifyError).validationContext ?? 'body') as RequestPart;
    return {
      status: 400,
      body: { error: 'Bad Request', message: validationMessage(validation, part) },
      log: false,
    };
  }
  const status = (error as { statusCode?: unknown }).statusCode;
  // 4xx from fastify (413 body too large, 415 media type, 400 bad JSON), ApiErrors, and the 503
  // that under-pressure raises: the message is meant for the client and carries no internals.
  if (typeof status === 'number' && ((status >= 400 && status < 500) || status === 503)) {
    return { status, body: { error: STATUS_CODES[status] ?? 'Error', message: error.message }, log: false };
  }
  return { status: 500, body: { error: 'Internal Server Error', message: GENERIC_500 }, log: true };
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body, log } = mapError(error);
  if (log)
    request.log.error(
      { err: error, method: request.method, url: request.routeOptions.url },
      'request failed',
    );
  void reply.code(status).send(body);
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  const path = (request.url.split('?', 1)[0] ?? '').slice(0, 200);
  void reply.code(404).send({ error: 'Not Found', message: `no route ${request.method} ${path}` });
}
