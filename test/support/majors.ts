/** PostgreSQL majors the product supports; each has a binaries package `pg-bin-<major>` in the root devDependencies. */
export const PG_MAJORS = [14, 16, 18] as const;
export type PgMajor = (typeof PG_MAJORS)[number];
export const NEWEST_MAJOR: PgMajor = 18;

/** The environment variable that narrows the majors under test, e.g. `PGG_TEST_MAJORS=14,18`. */
const MAJORS_ENV = 'PGG_TEST_MAJORS';

function isPgMajor(value: number): value is PgMajor {
  return (PG_MAJORS as readonly number[]).includes(value);
}

/** All supported majors, or the ones PGG_TEST_MAJORS names (a typo fails loudly rather than testing nothing). */
export function majorsUnderTest(): PgMajor[] {
  const raw = process.env[MAJORS_ENV]?.trim();
  if (!raw) return [...PG_MAJORS];
  const majors = raw.split(',').map((part) => {
    const major = Number(part.trim());
    if (!isPgMajor(major)) {
      throw new Error(`${MAJORS_ENV}="${raw}": "${part.trim()}" is not one of ${PG_MAJORS.join(', ')}`);
    }
    return major;
  });
  return [...new Set(majors)];
}

/** A describe block per major under test, titled "PostgreSQL <major>". */
export function forEachMajor(fn: (major: PgMajor) => void): void {
  describe.each(majorsUnderTest())('PostgreSQL %i', fn);
}
