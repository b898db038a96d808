import { regexSource } from '../config/name-pattern';

/**
 * A protected users/applications/databases entry: matched exactly, or as a regular expression
 * when written /like this/ (the configuration loader rejects an invalid one).
 */
const compiled = new Map<string, RegExp | undefined>();

function regexOf(pattern: string): RegExp | undefined {
  const source = regexSource(pattern);
  if (source === undefined) return undefined;
  if (!compiled.has(pattern)) {
    let regex: RegExp | undefined;
    try {
      regex = new RegExp(source);
    } catch {
      regex = undefined; // rejected by the loader; taken literally if it gets here anyway
    }
    compiled.set(pattern, regex);
  }
  return compiled.get(pattern);
}

/** The first entry that matches the value (a missing value matches as the empty string). */
export function matchingEntry(value: string | null, entries: readonly string[]): string | undefined {
  const subject = value ?? '';
  return entries.find((entry) => {
    const regex = regexOf(entry);
    return regex ? regex.test(subject) : entry === subject;
  });
}
