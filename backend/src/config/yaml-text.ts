import { parseDocument } from 'yaml';

/**
 * A YAML text's value, or what is wrong with it: one "invalid YAML: ..." message per error (its
 * first line). A key repeated in a mapping is an error. Every file the configuration reads
 * (the configuration, targets_dir's files, custom metrics files) is read with it.
 */
export function parseYaml(text: string): { value: unknown; errors: string[] } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length === 0) return { value: doc.toJS(), errors: [] };
  return {
    value: undefined,
    errors: doc.errors.map((e) => `invalid YAML: ${e.message.split('\n')[0]?.replace(/:$/, '')}`),
  };
}
