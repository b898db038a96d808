import { connectionEncryptionDefinition } from '../../catalog/collectors/connection-encryption';
import { Collector } from '../types';
import {
  deriveConnectionEncryption,
  EncryptionCountRow,
  unencryptedTcp,
  UnencryptedGroupRow,
} from './derive';

export const connectionEncryptionCollector: Collector = {
  ...connectionEncryptionDefinition,
  async collect(context) {
    const counts = await context.query<EncryptionCountRow>('connection-encryption');
    // The groups are read again from the same views: only when the counts saw a connection in clear.
    const unencrypted = counts.some(unencryptedTcp)
      ? await context.query<UnencryptedGroupRow>('unencrypted-connections', {
          params: [context.topN.relations],
        })
      : [];
    return deriveConnectionEncryption(counts, unencrypted);
  },
};
