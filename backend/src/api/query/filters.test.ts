import { ApiError } from '../errors';
import { columnFilters, labelFilters, requestedTargets, rowMatches } from './filters';

describe('requestedTargets', () => {
  it('joins target, targets and a target filter, without repeats', () => {
    expect(requestedTargets({ target: 'a', targets: ['b', 'a'], filters: { target: ['c'] } })).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(requestedTargets({})).toBeUndefined();
  });
});

describe('labelFilters', () => {
  it('keeps filters on the metric labels, as lists; an empty list is no filter', () => {
    expect(labelFilters({ datname: 'app', state: [], target: 'x' }, ['datname', 'state'], 'm', 'f')).toEqual({
      datname: ['app'],
    });
  });

  it('names a label the metric does not have', () => {
    expect(() => labelFilters({ relname: 'x' }, ['datname'], 'pg_tps', 'queries[0].filters')).toThrow(
      new ApiError(
        400,
        'queries[0].filters.relname: metric pg_tps has no label relname (its labels: datname)',
      ),
    );
  });

  it('passes injection attempts on as plain values', () => {
    expect(labelFilters({ datname: "'; DROP TABLE x; --" }, ['datname'], 'm', 'f')).toEqual({
      datname: ["'; DROP TABLE x; --"],
    });
  });
});

describe('columnFilters and rowMatches', () => {
  const columns = ['pid', 'datname', 'application_name', 'query_id'];

  it('resolves filter names to the columns of the table', () => {
    const filters = columnFilters({ application: 'app', queryid: ['1', '2'] }, columns, 'sessions', 'f');
    expect(filters.map((f) => f.column)).toEqual(['application_name', 'query_id']);
    expect(rowMatches({ application_name: 'app', query_id: '2' }, filters)).toBe(true);
    expect(rowMatches({ application_name: 'app', query_id: null }, filters)).toBe(false);
    expect(rowMatches({ pid: 42 }, columnFilters({ pid: '42' }, columns, 'sessions', 'f'))).toBe(true);
  });

  it('names a filter the table has no column for', () => {
    expect(() => columnFilters({ relname: 'x' }, columns, 'sessions', 'queries[1].filters')).toThrow(
      /^queries\[1\]\.filters\.relname: table sessions has no column relname$/,
    );
  });
});
