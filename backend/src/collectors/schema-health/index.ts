import { schemaHealthDefinition } from '../../catalog/collectors/schema-health';
import { Collector } from '../types';
import { deriveSchemaHealth, SchemaProblemRow } from './derive';

export const schemaHealthCollector: Collector = {
  ...schemaHealthDefinition,
  async collect(context) {
    const rows = await context.query<SchemaProblemRow>('schema-health', {
      params: [context.topN.indexes],
    });
    return deriveSchemaHealth(rows, context.server.database);
  },
};
