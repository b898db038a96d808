import { tableFreshnessDefinition } from '../../catalog/collectors/table-freshness';
import { Collector } from '../types';
import { deriveTableFreshness, TableFreshnessRow } from './derive';

export const tableFreshnessCollector: Collector = {
  ...tableFreshnessDefinition,
  async collect(context) {
    const rows = await context.query<TableFreshnessRow>('table-freshness', {
      params: [context.topN.relations],
    });
    return deriveTableFreshness(rows);
  },
};
