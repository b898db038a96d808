import { unusedIndexesDefinition } from '../../catalog/collectors/unused-indexes';
import { Collector } from '../types';
import { deriveUnusedIndexes, UnusedIndexRow } from './derive';

export const unusedIndexesCollector: Collector = {
  ...unusedIndexesDefinition,
  async collect(context) {
    const rows = await context.query<UnusedIndexRow>('unused-indexes', { params: [context.topN.indexes] });
    return deriveUnusedIndexes(context.server.database, rows);
  },
};
