import { databaseStatsDefinition } from '../../catalog/collectors/database-stats';
import { CollectContext, Collector } from '../types';
import { DatabaseReadings, DatabaseStatsRow, deriveDatabaseStats } from './derive';
import { DatabaseSizes, sizesDue, sizesOf, withSizes } from './sizes';

/** Databases exported at most, busiest first (label cardinality on clusters with thousands of them). */
export const MAX_DATABASES = 200;
const READINGS = 'readings';
const SIZES = 'sizes';

const read = (context: CollectContext, withSize: boolean) =>
  context.query<DatabaseStatsRow>('database-stats', { params: [MAX_DATABASES, withSize] });

export const databaseStatsCollector: Collector = {
  ...databaseStatsDefinition,
  async collect(context) {
    const { now, state, databaseSizesIntervalMs: interval } = context;
    // pg_database_size stats every file: sizes are read every interval, the last ones reported in between.
    const cached = state.get(SIZES) as DatabaseSizes | undefined;
    const fresh = cached && !sizesDue(cached, now, interval) ? cached : undefined;
    const counters = fresh ? await read(context, false) : undefined;
    let rows: DatabaseStatsRow[];
    if (fresh && counters && !sizesDue(fresh, now, interval, counters)) rows = withSizes(counters, fresh);
    else {
      // Due, or a database has no size yet (then the counters are read twice: rare).
      rows = await read(context, true);
      state.set(SIZES, sizesOf(rows, now));
    }
    const previous = state.get(READINGS) as DatabaseReadings | undefined;
    const { samples, readings } = deriveDatabaseStats(rows, previous, now);
    state.set(READINGS, readings);
    return { samples };
  },
};
