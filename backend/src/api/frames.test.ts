import { DataFrameJSON } from '../contract/frames';
import { cellOf, tableFrame, timeSeriesFrame } from './frames';

describe('timeSeriesFrame', () => {
  it('puts the time field first and the labelled value second, in Grafana data-frame JSON', () => {
    const frame = timeSeriesFrame({
      refId: 'A',
      name: 'pg_connections',
      unit: 'short',
      labels: { target: 't1', datname: 'app' },
      // the store's JSON array bodies, spliced as they are
      times: '1000,2000,3000',
      values: '1,null,3.5e-7',
      stepMs: 1000,
      displayName: 'app',
    });
    expect(JSON.parse(frame.json)).toEqual({
      schema: {
        refId: 'A',
        name: 'app',
        meta: { type: 'timeseries-multi', typeVersion: [0, 1] },
        fields: [
          { name: 'time', type: 'time', config: { interval: 1000 } },
          {
            name: 'pg_connections',
            type: 'number',
            config: { unit: 'short', displayNameFromDS: 'app' },
            labels: { target: 't1', datname: 'app' },
          },
        ],
      },
      data: {
        values: [
          [1000, 2000, 3000],
          [1, null, 3.5e-7],
        ],
      },
    });
  });

  it('leaves the display name to Grafana without a legend format; labels are escaped JSON', () => {
    const frame = timeSeriesFrame({
      refId: 'A',
      name: 'm',
      unit: 's',
      labels: { app: '"}],"data":{' },
      times: '',
      values: '',
      stepMs: 1,
    });
    const parsed = JSON.parse(frame.json) as DataFrameJSON;
    expect(parsed.schema.name).toBe('m');
    expect(parsed.schema.fields[1]?.config).toEqual({ unit: 's' });
    expect(parsed.schema.fields[1]?.labels).toEqual({ app: '"}],"data":{' });
    expect(parsed.data.values).toEqual([[], []]);
  });
});

describe('tableFrame', () => {
  it('types every column and lays values out column by column', () => {
    const frame = tableFrame({
      refId: 'B',
      name: 'sessions',
      columns: [
        { name: 'pid', type: 'number' },
        { name: 'state', type: 'string', description: 'what it does' },
        { name: 'seconds', type: 'number', unit: 's' },
        { name: 'since', type: 'time' },
        { name: 'super', type: 'boolean' },
      ],
      rows: [
        { pid: 1, state: 'active', seconds: '2.5', since: 1000.4, super: 't' },
        { pid: '2', state: null, since: '1970-01-01T00:00:02Z', super: false, extra: 'ignored' },
      ],
    });
    expect(frame.schema.fields).toEqual([
      { name: 'pid', type: 'number', config: {} },
      { name: 'state', type: 'string', config: { description: 'what it does' } },
      { name: 'seconds', type: 'number', config: { unit: 's' } },
      { name: 'since', type: 'time', config: {} },
      { name: 'super', type: 'boolean', config: {} },
    ]);
    expect(frame.schema.meta?.preferredVisualisationType).toBe('table');
    expect(frame.data.values).toEqual([
      [1, 2],
      ['active', null],
      [2.5, null],
      [1000, 2000],
      [true, false],
    ]);
  });
});

describe('cellOf', () => {
  it('turns what does not fit the type into null, never NaN', () => {
    expect(cellOf('abc', 'number')).toBeNull();
    expect(cellOf('', 'number')).toBeNull();
    expect(cellOf(Infinity, 'number')).toBeNull();
    expect(cellOf('not a time', 'time')).toBeNull();
    expect(cellOf('maybe', 'boolean')).toBeNull();
    expect(cellOf(undefined, 'string')).toBeNull();
  });

  it('keeps text from numbers and JSON from structures', () => {
    expect(cellOf(42, 'string')).toBe('42');
    expect(cellOf([1, 2], 'string')).toBe('[1,2]');
    expect(cellOf('123', 'number')).toBe(123); // pg's bigint arrives as text
  });
});
