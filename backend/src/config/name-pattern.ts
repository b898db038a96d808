/**
 * How a protected users/applications/databases entry is written: matched exactly, or as a regular
 * expression when written /like this/. The loader rejects an invalid expression; the governor
 * matches (governor/name-pattern.ts).
 */

/** The regular expression of an entry written /like this/; undefined for an exact entry. */
export function regexSource(entry: string): string | undefined {
  return entry.length > 2 && entry.startsWith('/') && entry.endsWith('/') ? entry.slice(1, -1) : undefined;
}
