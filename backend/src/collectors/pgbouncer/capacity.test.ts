import { PoolDatabase, possibleServerConnections } from './capacity';

const db = (name: string, overrides: Partial<PoolDatabase> = {}): PoolDatabase => ({
  name,
  poolSize: 20,
  reservePool: 0,
  maxDbConnections: 0,
  forceUser: false,
  ...overrides,
});

describe('possibleServerConnections', () => {
  it('multiplies pool_size + reserve_pool by the pools (users) of each database', () => {
    expect(
      possibleServerConnections([db('app', { poolSize: 10, reservePool: 5 })], ['app', 'app', 'app']),
    ).toBe(45);
  });

  it('counts one pool for a database nobody has connected to yet', () => {
    expect(possibleServerConnections([db('idle', { poolSize: 7 })], [])).toBe(7);
  });

  it('caps a database at max_db_connections, all its pools together', () => {
    expect(
      possibleServerConnections([db('app', { poolSize: 10, maxDbConnections: 25 })], ['app', 'app', 'app']),
    ).toBe(25);
    expect(possibleServerConnections([db('app', { poolSize: 10, maxDbConnections: 25 })], ['app'])).toBe(10);
  });

  it('counts one pool with force_user, whoever connects', () => {
    expect(possibleServerConnections([db('app', { poolSize: 10, forceUser: true })], ['app', 'app'])).toBe(
      10,
    );
  });

  it('sums over databases', () => {
    const databases = [
      db('a', { poolSize: 2 }),
      db('b', { poolSize: 5, maxDbConnections: 3 }),
      db('c', { poolSize: 4 }),
    ];
    expect(possibleServerConnections(databases, ['a', 'a', 'b', 'c'])).toBe(2 * 2 + 3 + 4);
  });
});
