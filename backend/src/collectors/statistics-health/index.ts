import {
  STALE_MIN_MODIFICATIONS,
  STALE_MODIFIED_SHARE,
  statisticsHealthDefinition,
} from '../../catalog/collectors/statistics-health';
import { Collector } from '../types';
import { deriveStatisticsHealth, StaleStatisticsRow, TableBloatRow } from './derive';
import { deriveIndexBloat, IndexBloatRow } from './index-bloat';

export const statisticsHealthCollector: Collector = {
  ...statisticsHealthDefinition,
  async collect(context) {
    const limit = context.topN.relations;
    // Statistics counters are per server: a standby's say nothing about the primary's tables.
    const stale = context.server.inRecovery
      ? undefined
      : await context.query<StaleStatisticsRow>('stale-statistics', {
          params: [limit, STALE_MODIFIED_SHARE, STALE_MIN_MODIFICATIONS],
        });
    const bloat = await context.query<TableBloatRow>('table-bloat', { params: [limit] });
    const indexBloat = await context.query<IndexBloatRow>('index-bloat', { params: [context.topN.indexes] });
    const tables = deriveStatisticsHealth(context.server.database, stale, bloat);
    const indexes = deriveIndexBloat(indexBloat);
    return {
      samples: [...tables.samples, ...indexes.samples],
      snapshots: [...(tables.snapshots ?? []), indexes.snapshot],
    };
  },
};
