import { FastifyBaseLogger } from 'fastify';
import { ApiError } from './errors';

/**
 * A read of the history store for a whole-response route: a store that does not answer is a 503
 * the client can retry, not a 500; the cause goes to the log only.
 */
export async function fromStore<T>(read: Promise<T>, log: FastifyBaseLogger, what: string): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    log.error({ err: error }, `history store read failed: ${what}`);
    throw new ApiError(503, 'the history store is unavailable; try again shortly');
  }
}

/** A read whose absence only makes an answer less complete (template variables): [] on failure. */
export async function fromStoreOrEmpty<T>(
  read: Promise<T[]>,
  log: FastifyBaseLogger,
  what: string,
): Promise<T[]> {
  try {
    return await read;
  } catch (error) {
    log.warn({ err: error }, `history store read failed, answering from memory only: ${what}`);
    return [];
  }
}
