/**
 * JSON text that PostgreSQL can hold as json, jsonb and text. JavaScript strings may carry what
 * PostgreSQL refuses (a lone UTF-16 surrogate: 22P02; NUL: 22P05), and one such string in a label
 * would make the store refuse a whole batch. Lone surrogates become U+FFFD (as any UTF-8 decoder
 * does), NUL is removed; in keys as well as values.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const UNSTORABLE = /[\ud800-\udfff\0]/;

/** The string as PostgreSQL text can hold it (unchanged when it already can). */
export function storableText(value: string): string {
  if (!UNSTORABLE.test(value)) return value;
  return value.replace(LONE_SURROGATE, '\ufffd').replaceAll('\0', '');
}

function storableKeys(value: object): object {
  const keys = Object.keys(value);
  if (!keys.some((key) => UNSTORABLE.test(key))) return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [storableText(key), v]));
}

const replacer = (_key: string, value: unknown): unknown => {
  if (typeof value === 'string') return storableText(value);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return storableKeys(value);
  return value;
};

/**
 * How JSON.stringify spells what PostgreSQL refuses: a lone surrogate as \udXXX, NUL as \u0000
 * (lowercase hex, always escaped). A text without them needs no replacer (the writer's snapshot
 * batches: the replacer, a call for every key and value, doubled the time of a flush's JSON,
 * 25-50 ms of the event loop at 200 targets). A literal backslash before such text only costs the
 * slow path.
 */
const ESCAPED_UNSTORABLE = /\\u(?:d[89a-f][0-9a-f]{2}|0000)/;

/** JSON.stringify, with every string and key made storable. */
export function storableJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  if (!ESCAPED_UNSTORABLE.test(text)) return text;
  return JSON.stringify(value, replacer) ?? 'null';
}
