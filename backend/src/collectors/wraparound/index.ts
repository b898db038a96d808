import { wraparoundDefinition } from '../../catalog/collectors/wraparound';
import { Collector } from '../types';
import { DatabaseAgeRow, deriveWraparound, TableAgeRow } from './derive';

export const wraparoundCollector: Collector = {
  ...wraparoundDefinition,
  async collect(context) {
    const limit = [context.topN.relations];
    const databases = await context.query<DatabaseAgeRow>('wraparound-databases', { params: limit });
    const tables = await context.query<TableAgeRow>('wraparound-tables', { params: limit });
    return deriveWraparound(databases, tables);
  },
};
