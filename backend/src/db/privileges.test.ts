import { describeRefusal, findWriteCapabilities, Queryable, WriteCapability } from './privileges';

function fakeClient(rows: Record<string, unknown>[]): Queryable & { texts: string[] } {
  const texts: string[] = [];
  return {
    texts,
    query: async (text: string) => {
      texts.push(text);
      return { rows };
    },
  };
}

describe('findWriteCapabilities', () => {
  it('runs sql/target/write-capabilities.sql and returns its rows', async () => {
    const client = fakeClient([{ kind: 'createdb', detail: 'CREATEDB (held by app): can create databases' }]);
    await expect(findWriteCapabilities(client)).resolves.toEqual([
      { kind: 'createdb', detail: 'CREATEDB (held by app): can create databases' },
    ]);
    expect(client.texts[0]).toContain('has_table_privilege');
  });

  it('returns nothing for a read-only role', async () => {
    await expect(findWriteCapabilities(fakeClient([]))).resolves.toEqual([]);
  });

  it('fails loudly on a kind this code does not know, rather than under-report', async () => {
    await expect(findWriteCapabilities(fakeClient([{ kind: 'telepathy', detail: 'x' }]))).rejects.toThrow(
      /telepathy/,
    );
  });
});

describe('describeRefusal', () => {
  const caps: WriteCapability[] = [
    { kind: 'createdb', detail: 'CREATEDB (held by app): can create databases' },
    {
      kind: 'table_write',
      detail: 'INSERT, UPDATE, DELETE, TRUNCATE or TRIGGER on 1 relation(s): shop.orders',
    },
  ];
  const message = describeRefusal('app', caps, 'shop');

  it('names the role and the database', () => {
    expect(message).toContain('role "app" because it can write in database "shop"');
  });

  it('leaves the database out when it is not known', () => {
    expect(describeRefusal('app', caps)).toContain('role "app" because it can write, and');
  });

  it('lists every capability', () => {
    expect(message).toContain('CREATEDB (held by app): can create databases; INSERT, UPDATE');
    expect(message).toContain('shop.orders');
  });

  it('says how to fix it, pointing at the role scripts', () => {
    expect(message).toContain('sql/roles/');
    expect(message).toContain('monitor-role.sql');
    expect(message).toContain('governor-role.sql');
    expect(message).toMatch(/revoke/i);
  });

  it('is one paragraph', () => {
    expect(message).not.toContain('\n');
  });

  it('says the role is read-only when there is nothing to refuse', () => {
    expect(describeRefusal('pgg_monitor', [], 'shop')).toBe(
      'Role "pgg_monitor" cannot write in database "shop".',
    );
  });
});
