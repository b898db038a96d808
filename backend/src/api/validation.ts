import Ajv, { Options } from 'ajv';
import { FastifySchemaCompiler } from 'fastify';

/**
 * Request validation. fastify's own ajv settings strip unknown fields silently and coerce types;
 * here unknown fields are an error (the client sent something we would ignore) and only the
 * querystring and path, which are text by nature, are coerced ("5" -> 5, one value -> [value]).
 * allErrors stays off: validation stops at the first problem, so a hostile body costs little.
 */
const common: Options = {
  allErrors: false,
  removeAdditional: false,
  useDefaults: true,
  discriminator: true,
  // The failing schema travels with the error, so that a message can list the allowed kinds.
  verbose: true,
  allowUnionTypes: true,
};

const strictAjv = new Ajv({ ...common, coerceTypes: false });
const textAjv = new Ajv({ ...common, coerceTypes: 'array' });

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strictAjv : textAjv).compile(schema as object);
