/**
 * An error the client caused or can act on: its status and message go back as they are. Anything
 * else that reaches the error handler is a 500 with a generic message (and a log line).
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** 400 naming the field: `queries[1].metric: unknown metric "pg_nope"`. */
export function badRequest(field: string, problem: string): ApiError {
  return new ApiError(400, `${field}: ${problem}`);
}

/** A JSON-safe quote of a client value for messages (bounded, so a huge value does not echo back). */
export function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}
