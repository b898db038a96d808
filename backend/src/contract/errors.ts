import { Static, Type } from '@sinclair/typebox';

/** The body of every 4xx and 5xx answer; a 400's message names the field (`queries[1].metric: ...`). */
export const ErrorBodySchema = Type.Object({
  /** The HTTP status text (Bad Request, Not Found, ...). */
  error: Type.String(),
  message: Type.String(),
});
export type ErrorBody = Static<typeof ErrorBodySchema>;
