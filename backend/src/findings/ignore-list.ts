import { FindingObject } from './types';

/** One pattern as a whole-string match: `*` any characters, everything else as written. */
function compile(pattern: string): RegExp {
  const parts = pattern.split('*').map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, 's');
}

/**
 * findings.<kind>.ignore: the objects a kind raises no finding on, for what a team keeps on purpose
 * (an index kept for a monthly report, synchronous_commit off by design). A pattern matches the
 * object's name as the finding shows it (schema.table, an index, a setting, a slot) or, for an
 * object in a database, database/name; `*` matches any characters.
 */
export class IgnoreList {
  private readonly patterns: RegExp[];

  constructor(patterns: readonly string[] = []) {
    this.patterns = patterns.map(compile);
  }

  get empty(): boolean {
    return this.patterns.length === 0;
  }

  matches(object: FindingObject): boolean {
    const names = object.database ? [object.name, `${object.database}/${object.name}`] : [object.name];
    return this.patterns.some((pattern) => names.some((name) => pattern.test(name)));
  }
}
