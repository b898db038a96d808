import { canonicalLabels, SeriesKeys } from './series-keys';

describe('series keys', () => {
  it('writes a label set the same whatever the key order, as jsonb compares', () => {
    expect(canonicalLabels({ b: '2', a: '1' })).toBe('{"a":"1","b":"2"}');
    expect(canonicalLabels({ a: '1', b: '2' })).toBe('{"a":"1","b":"2"}');
    expect(canonicalLabels({})).toBe('{}');
    expect(JSON.parse(canonicalLabels({ 'we"ird': 'x\\y' }))).toEqual({ 'we"ird': 'x\\y' });
  });

  it('leaves out labels without a value', () => {
    expect(canonicalLabels({ a: '1', b: undefined as unknown as string })).toBe('{"a":"1"}');
  });

  it('numbers series locally and caches their store ids', () => {
    const keys = new SeriesKeys();
    const a = keys.number('t', 'm', { x: '1', y: '2' });
    expect(keys.number('t', 'm', { y: '2', x: '1' })).toBe(a);
    const b = keys.number('t', 'm', { x: '2' });
    expect(b).not.toBe(a);
    expect(keys.find('t', 'm', '{"x":"1","y":"2"}')).toBe(a);
    expect(keys.storeId(a)).toBe(0);
    keys.setStoreId(a, 42);
    expect(keys.storeId(a)).toBe(42);
    keys.forgetStoreIds();
    expect(keys.storeId(a)).toBe(0);
    expect(keys.size).toBe(2);
    keys.clear();
    expect(keys.size).toBe(0);
  });

  it('gives a series back as target, metric and canonical labels', () => {
    const keys = new SeriesKeys();
    const n = keys.number('pg1.app', 'pg_statement_calls_total', { queryid: '-42', datname: 'a\u0000b "c"' });
    expect(keys.key(n)).toEqual({
      target: 'pg1.app',
      metric: 'pg_statement_calls_total',
      labels: canonicalLabels({ datname: 'a\u0000b "c"', queryid: '-42' }),
    });
    expect(keys.find('pg1.app', 'pg_statement_calls_total', keys.key(n).labels)).toBe(n);
    expect(() => keys.key(n + 1)).toThrow(RangeError);
  });

  it('tells every target, metric and label set apart, and gives each back', () => {
    const keys = new SeriesKeys();
    const seen = new Set<number>();
    for (const target of ['a', 'b'])
      for (let m = 0; m < 30; m++)
        for (let l = 0; l < 30; l++) seen.add(keys.number(target, `m${m}`, { l: String(l) }));
    expect(seen.size).toBe(2 * 30 * 30);
    expect(keys.size).toBe(seen.size);
    const n = keys.number('b', 'm7', { l: '29' });
    expect(keys.key(n)).toEqual({ target: 'b', metric: 'm7', labels: '{"l":"29"}' });
    expect(keys.find('b', 'm29', '{"l":"7"}')).not.toBe(n);
    expect(keys.find('c', 'm7', '{"l":"29"}')).toBeUndefined();
  });

  it('numbers a series by its labels whether or not the labels object is the one seen last', () => {
    const keys = new SeriesKeys();
    const labels = { datname: 'app', queryid: '1' };
    const calls = keys.number('t', 'calls', labels);
    const rows = keys.number('t', 'rows', labels);
    expect(keys.number('t', 'calls', { queryid: '1', datname: 'app' })).toBe(calls);
    expect(keys.number('t', 'rows', { datname: 'app', queryid: '2' })).not.toBe(rows);
    expect(keys.number('t', 'rows', labels)).toBe(rows);
  });
});
