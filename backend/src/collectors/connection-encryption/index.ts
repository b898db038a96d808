import { connectionEncryptionDefinition } from '../../catalog/collectors/connection-encryption';
import { Collector } from '../types';
import { deriveConnectionEncryption, EncryptionCountRow, UnencryptedGroupRow } from './derive';

export const connectionEncryptionCollector: Collector = {
  ...connectionEncryptionDefinition,
  async collect(context) {
    const counts = await context.query<EncryptionCountRow>('connection-encryption');
    const unencrypted = await context.query<UnencryptedGroupRow>('unencrypted-connections', {
      params: [context.topN.relations],
    });
    return deriveConnectionEncryption(counts, unencrypted);
  },
};
