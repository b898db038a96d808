/** The real-PostgreSQL harness every integration test uses. */
export { forEachMajor, majorsUnderTest, NEWEST_MAJOR, PG_MAJORS } from './majors';
export type { PgMajor } from './majors';
export { startPostgres } from './start-postgres';
export type { StartPostgresOptions } from './start-postgres';
export { TestPostgres } from './test-postgres';
export type { CreateRoleOptions } from './test-postgres';
