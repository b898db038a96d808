import { TProperties, Type } from '@sinclair/typebox';

/**
 * The `findings` section of the configuration, built from the finding kinds it is given (the
 * catalog, which sits above config): each kind is a key with `enabled` and its thresholds, so
 * PGG_FINDINGS__<KIND>__<PARAM>=... works too:
 *
 *   findings:
 *     idle_in_transaction: { warning_s: 600 }
 *     unused_index: { enabled: false }
 *     settings_sanity: { ignore: [synchronous_commit] }
 */

/** What the configuration knows of a finding kind: its key and its thresholds' defaults. */
export interface ConfigurableFinding {
  id: string;
  params: Record<string, { default: number | boolean }>;
}

export interface FindingKindConfig {
  enabled: boolean;
  /** Objects the kind raises no finding on: names or database/name, `*` for any characters. */
  ignore: string[];
  [param: string]: number | boolean | string[];
}

export type FindingsConfig = Record<string, FindingKindConfig>;

const section = <T extends TProperties>(properties: T) =>
  Type.Object(properties, { additionalProperties: false, default: {} });

/**
 * With no kinds (a caller that runs no checks, e.g. the alert-file generator) the section is taken
 * as it is, so that a configuration written for the service still loads there.
 */
export function findingsConfigSchema(kinds: readonly ConfigurableFinding[]) {
  if (kinds.length === 0) return Type.Unsafe<FindingsConfig>({ type: 'object', default: {} });
  const properties: TProperties = {};
  for (const kind of kinds) {
    const params: TProperties = {
      enabled: Type.Boolean({ default: true }),
      ignore: Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { default: [], maxItems: 1000 }),
    };
    for (const [name, param] of Object.entries(kind.params))
      params[name] =
        typeof param.default === 'boolean'
          ? Type.Boolean({ default: param.default })
          : Type.Number({ minimum: 0, default: param.default });
    properties[kind.id] = section(params);
  }
  return Type.Unsafe<FindingsConfig>(section(properties));
}
