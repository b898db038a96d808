import { databaseStatsDefinition } from '../../catalog/collectors/database-stats';
import { Collector } from '../types';
import { DatabaseReadings, DatabaseStatsRow, deriveDatabaseStats } from './derive';

/** Databases exported at most, busiest first (label cardinality on clusters with thousands of them). */
export const MAX_DATABASES = 200;
const READINGS = 'readings';

export const databaseStatsCollector: Collector = {
  ...databaseStatsDefinition,
  async collect(context) {
    const rows = await context.query<DatabaseStatsRow>('database-stats', { params: [MAX_DATABASES] });
    const previous = context.state.get(READINGS) as DatabaseReadings | undefined;
    const { samples, readings } = deriveDatabaseStats(rows, previous, context.now);
    context.state.set(READINGS, readings);
    return { samples };
  },
};
