import { stringify } from 'yaml';

/**
 * The generated YAML, byte for byte what the repository holds (prettier leaves these files alone:
 * they are listed in .prettierignore, so regeneration alone decides their layout).
 */
export function toYaml(value: unknown, header: string[] = []): string {
  const body = stringify(value, { lineWidth: 0, aliasDuplicateObjects: false, singleQuote: true });
  return `${header.map((line) => (line ? `# ${line}` : '#')).join('\n')}${header.length ? '\n' : ''}${body}`;
}
