import { StringOptions, TSchema, TString, Type } from '@sinclair/typebox';

/**
 * How a secret-bearing configuration value is shown wherever the configuration is printed or
 * logged: a connection string or URL keeps everything but its password (`dsn`); a URL whose path
 * is the credential (a Slack webhook) keeps only its origin (`url-path`); anything else is
 * replaced whole (`value`).
 */
export type SecretKind = 'dsn' | 'url-path' | 'value';

/** The schema keyword that marks a secret (JSON schema ignores unknown keywords). */
export const SECRET_KEYWORD = 'x-secret';

/** A string setting that holds a secret, masked by maskConfig. */
export const SecretString = (kind: SecretKind, options: StringOptions = {}): TString =>
  Type.String({ ...options, [SECRET_KEYWORD]: kind });

/** The secret kind a schema node is marked with, if any. */
export function secretKindOf(schema: TSchema): SecretKind | undefined {
  const kind: unknown = (schema as Record<string, unknown>)[SECRET_KEYWORD];
  return kind === 'dsn' || kind === 'url-path' || kind === 'value' ? kind : undefined;
}
