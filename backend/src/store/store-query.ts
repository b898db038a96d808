import { sqlFile } from '../sql/sql-file';

/** Text of one of the store's statements, sql/store/queries/<name>.sql. */
export const storeQuery = (name: string): string => sqlFile(`store/queries/${name}.sql`);
