import { sequencesDefinition } from '../../catalog/collectors/sequences';
import { Collector } from '../types';
import { deriveSequences, SequenceRow } from './derive';

export const sequencesCollector: Collector = {
  ...sequencesDefinition,
  async collect(context) {
    const rows = await context.query<SequenceRow>('sequences', { params: [context.topN.relations] });
    return deriveSequences(rows, context.server.database);
  },
};
