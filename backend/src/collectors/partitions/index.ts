import { partitionsDefinition } from '../../catalog/collectors/partitions';
import { Collector } from '../types';
import { derivePartitions, epochKey, PartitionsRow, timeValuesToConvert } from './derive';

export const partitionsCollector: Collector = {
  ...partitionsDefinition,
  async collect(context) {
    const rows = await context.query<PartitionsRow>('partitions', { params: [context.topN.relations] });
    const { values, keyTypes } = timeValuesToConvert(rows);
    const epochs = new Map<string, number>();
    if (values.length > 0) {
      const converted = await context.query<{ ord: number; epoch: number | null }>('partition-bound-epochs', {
        params: [values, keyTypes],
      });
      for (const { ord, epoch } of converted) {
        if (epoch !== null)
          epochs.set(epochKey(keyTypes[ord - 1] as string, values[ord - 1] as string), epoch);
      }
    }
    return derivePartitions(rows, context.server.database, (keyType, text) =>
      epochs.get(epochKey(keyType, text)),
    );
  },
};
