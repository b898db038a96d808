import { CollectContext } from '../types';
import { EncryptionCountRow } from './derive';
import { connectionEncryptionCollector } from '.';

const count = (overrides: Partial<EncryptionCountRow>): EncryptionCountRow => ({
  datname: 'app',
  tcp: true,
  ssl: true,
  gss_encrypted: false,
  connections: 1,
  ...overrides,
});

/** A context answering the collector's queries, recording which ran. */
function context(counts: EncryptionCountRow[], ran: string[]): CollectContext {
  return {
    topN: { relations: 10 },
    async query(name: string) {
      ran.push(name);
      return name === 'connection-encryption' ? counts : [];
    },
  } as unknown as CollectContext;
}

describe('connection_encryption collector', () => {
  it('lists the groups in clear only when the counts saw a TCP connection without encryption', async () => {
    const ran: string[] = [];
    await connectionEncryptionCollector.collect(context([count({}), count({ tcp: false, ssl: false })], ran));
    expect(ran).toEqual(['connection-encryption']);
    ran.length = 0;
    await connectionEncryptionCollector.collect(context([count({ ssl: false })], ran));
    expect(ran).toEqual(['connection-encryption', 'unencrypted-connections']);
  });
});
