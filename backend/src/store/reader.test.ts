import { QueryResult } from 'pg';
import { seriesPoints, StoreReader } from './reader';
import { Queryable } from './queryable';
import { SeriesQuery } from './types';

/** A store that answers every read with these rows (a fake row set: the SQL is tested on real servers). */
const answering = (rows: object[]): Queryable => ({
  query: async () => ({ rows }) as unknown as QueryResult,
});

const query: SeriesQuery = {
  metric: 'pg_connections',
  type: 'gauge',
  from: 0,
  to: 3_600_000,
  stepMs: 60_000,
  aggregation: 'avg',
};

describe('StoreReader.series', () => {
  it('passes the JSON array bodies on, and seriesPoints pairs them (null where no number)', async () => {
    const reader = new StoreReader(
      answering([{ target: 't', labels: {}, times: '0,60000', values: '1.5,null' }]),
    );
    const [result] = await reader.series(query);
    expect(result).toEqual({ target: 't', labels: {}, times: '0,60000', values: '1.5,null' });
    expect(seriesPoints(result as never)).toEqual([
      [0, 1.5],
      [60_000, null],
    ]);
  });

  it('refuses anything but numbers: the text is spliced into JSON as it is', async () => {
    for (const values of ['1,"x"', '1]}],{"a":1', 'NaN']) {
      const reader = new StoreReader(answering([{ target: 't', labels: {}, times: '0', values }]));
      await expect(reader.series(query)).rejects.toThrow(/something else than numbers/);
    }
  });
});
