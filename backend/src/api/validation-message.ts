import { ErrorObject } from 'ajv';
import { LABEL_NAME, STORABLE_TEXT } from '../contract/schema-parts';
import { fieldPath, joinPath } from '../lib/field-path';

/** The part of the request a schema error is in, as fastify names it. */
export type RequestPart = 'body' | 'querystring' | 'params' | 'headers';

const COMBINATORS = new Set(['anyOf', 'oneOf', 'allOf', 'if', 'not']);

const article = (type: string) => (type === 'integer' || type === 'object' || type === 'array' ? 'an' : 'a');

function describe(error: ErrorObject): { path: string; problem: string } {
  const path = fieldPath(error.instancePath);
  // A key that fails propertyNames: ajv reports the key's own error with the key alongside.
  if (error.propertyName !== undefined) {
    return { path: joinPath(path, error.propertyName), problem: 'is not an allowed field name' };
  }
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return { path: joinPath(path, String(params.additionalProperty)), problem: 'unknown field' };
    case 'required':
      return { path: joinPath(path, String(params.missingProperty)), problem: 'is required' };
    case 'type': {
      const types = String(params.type).split(',');
      return { path, problem: `must be ${types.map((t) => `${article(t)} ${t}`).join(' or ')}` };
    }
    case 'enum':
      return { path, problem: `must be one of ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'const':
      return { path, problem: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'pattern':
      if (params.pattern === STORABLE_TEXT)
        return { path, problem: 'must not contain NUL characters or unpaired surrogates' };
      if (params.pattern === LABEL_NAME) return { path, problem: 'must be a name of letters, digits and _' };
      return { path, problem: error.message ?? 'is not valid' };
    case 'propertyNames':
      return { path: joinPath(path, String(params.propertyName)), problem: 'is not an allowed field name' };
    case 'discriminator': {
      const tag = String(params.tag);
      const branches = (error.parentSchema?.oneOf ?? []) as {
        properties?: Record<string, { const?: unknown }>;
      }[];
      const allowed = branches.map((b) => b.properties?.[tag]?.const).filter((v) => v !== undefined);
      return {
        path: joinPath(path, tag),
        problem:
          params.error === 'tag' && params.tagValue === undefined
            ? 'is required'
            : `must be one of ${allowed.join(', ')}`,
      };
    }
    default:
      return { path, problem: error.message ?? 'is not valid' };
  }
}

/**
 * One line naming the field and what is wrong with it, from ajv's errors for a request part:
 * `queries[0].intervalMs: must be >= 1`. The first specific error wins; the combinator errors
 * (anyOf, oneOf) only say that a branch failed.
 */
export function validationMessage(errors: ErrorObject[], part: RequestPart): string {
  const chosen = errors.find((e) => !COMBINATORS.has(e.keyword)) ?? errors[0];
  if (!chosen) return `${part}: is not valid`;
  const { path, problem } = describe(chosen);
  const field = path || (part === 'body' ? 'body' : part);
  return `${field}: ${problem}`;
}
