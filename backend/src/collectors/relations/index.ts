import { relationsDefinition } from '../../catalog/collectors/relations';
import { Collector } from '../types';
import { deriveRelations, IndexSizeRow, RelationCountRow, RelationRow } from './derive';

export const relationsCollector: Collector = {
  ...relationsDefinition,
  async collect(context) {
    const relations = await context.query<RelationRow>('relations', { params: [context.topN.relations] });
    const indexes = await context.query<IndexSizeRow>('relation-indexes', { params: [context.topN.indexes] });
    const counts = await context.query<RelationCountRow>('relation-counts');
    return deriveRelations(context.server.database, relations, indexes, counts);
  },
};
