import { QueryTextCache } from './query-text-cache';

describe('QueryTextCache', () => {
  it('reports only ids it has no text for, each once', () => {
    const cache = new QueryTextCache();
    cache.store([{ queryid: '1', query: 'SELECT 1' }]);
    expect(cache.missing(['1', '2', '3', '2'])).toEqual(['2', '3']);
    expect(cache.get('1')).toBe('SELECT 1');
    expect(cache.get('2')).toBeUndefined();
  });

  it('caches a NULL text (unreadable), so it is not fetched again', () => {
    const cache = new QueryTextCache();
    cache.store([{ queryid: '1', query: null }]);
    expect(cache.missing(['1'])).toEqual([]);
    expect(cache.get('1')).toBeNull();
  });

  it('does not cache ids that did not come back, so they are asked for again', () => {
    const cache = new QueryTextCache();
    cache.store([{ queryid: '1', query: 'a' }]); // '2' was asked for too
    expect(cache.missing(['1', '2'])).toEqual(['2']);
  });

  it('evicts the least recently used text beyond its capacity', () => {
    const cache = new QueryTextCache(2);
    cache.set('1', 'a');
    cache.set('2', 'b');
    cache.get('1'); // 2 is now the least recently used
    cache.set('3', 'c');
    expect(cache.size).toBe(2);
    expect(cache.missing(['1', '2', '3'])).toEqual(['2']);
  });
});
