import { TSchema } from '@sinclair/typebox';
import { Config, configFileSchema } from './schema';
import { SecretKind, secretKindOf } from './secret';

const MASK = '***';

/** A connection string with its password (in the authority or as a parameter) replaced. */
export function maskDsn(dsn: string): string {
  try {
    const url = new URL(dsn);
    if (url.password) url.password = MASK;
    for (const key of ['password', 'sslpassword'])
      if (url.searchParams.has(key)) url.searchParams.set(key, MASK);
    return url.toString();
  } catch {
    // Not a URL (then it failed validation anyway): keep nothing that could be a secret.
    return MASK;
  }
}

/** A URL whose path is the credential (e.g. a Slack webhook): only its origin is shown. */
function maskUrlPath(value: string): string {
  try {
    return `${new URL(value).origin}/${MASK}`;
  } catch {
    return MASK;
  }
}

export function maskSecret(kind: SecretKind, value: string): string {
  if (kind === 'dsn') return maskDsn(value);
  if (kind === 'url-path') return maskUrlPath(value);
  return MASK;
}

/** The schema key of a value's key: the effective configuration spells some keys in camelCase. */
const schemaKey = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

type Node = TSchema & { properties?: Record<string, TSchema>; items?: TSchema; type?: unknown };

/**
 * The value with every secret the schema marks masked. What the schema does not describe is
 * masked too when it is a string: a key added without a schema cannot leak by being forgotten.
 */
function maskBySchema(schema: Node | undefined, value: unknown): unknown {
  if (typeof value === 'string') {
    if (!schema) return MASK;
    const kind = secretKindOf(schema);
    return kind ? maskSecret(kind, value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => maskBySchema(schema?.items, item));
  if (typeof value === 'object' && value !== null) {
    const properties = schema?.properties ?? {};
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        maskBySchema(properties[key] ?? properties[schemaKey(key)], item),
      ]),
    );
  }
  return value;
}

/**
 * The schema that tells the secrets. Without alert kinds: their rules hold numbers and flags only,
 * and a string the schema does not describe is masked anyway.
 */
const SCHEMA = configFileSchema([]);

/** The effective configuration, safe to print or log. */
export function maskConfig(config: Config): Config {
  return maskBySchema(SCHEMA, config) as Config;
}
