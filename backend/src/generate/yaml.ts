import { CreateNodeOptions, Document, ToStringOptions } from 'yaml';

/**
 * The layout of every generated YAML file, byte for byte what the repository holds (prettier
 * leaves these files alone: they are in .prettierignore, so regeneration alone decides it): no
 * anchors for repeated objects, no line folding, single quotes where quoting is needed.
 */
const CREATE: CreateNodeOptions = { aliasDuplicateObjects: false };
const FORMAT: ToStringOptions = { lineWidth: 0, singleQuote: true };

/** A YAML document of `value`, the `header` lines as comments above its first line. */
export function toYaml(value: unknown, header: readonly string[] = []): string {
  const document = new Document(value, CREATE);
  // On the root node rather than the document: the comment then sits right above the first key
  // (a document's comment is followed by a blank line). The leading space gives "# text" ("#"
  // alone for an empty line).
  if (header.length > 0 && document.contents)
    document.contents.commentBefore = header.map((line) => ` ${line}`).join('\n');
  return document.toString(FORMAT);
}
