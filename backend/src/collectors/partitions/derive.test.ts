import { CollectResult } from '../types';
import { derivePartitions, EpochOf, epochKey, PartitionsRow, timeValuesToConvert } from './derive';

/** The value of the sample of a metric whose labels include the given ones. */
const valueOfSample = (result: CollectResult, metric: string, labels: Record<string, string> = {}) =>
  result.samples.find(
    (s) => s.metric === metric && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;

const NOW = Date.parse('2024-03-15T12:00:00Z') / 1000;
const epoch = (iso: string) => Date.parse(iso) / 1000;

function row(overrides: Partial<PartitionsRow>): PartitionsRow {
  return {
    schemaname: 'public',
    relname: 'events',
    strategy: 'r',
    partition_key: 'RANGE (created_at)',
    key_type: 'timestamptz',
    partitions: 3,
    leaf_partitions: 3,
    default_partition: null,
    default_rows: null,
    bounds: null,
    now_epoch: NOW,
    local_now_epoch: NOW + 3600, // a session one hour east of UTC
    ...overrides,
  };
}

/** What partition-bound-epochs would answer for ISO values in UTC. */
const isoEpochs: EpochOf = (keyType, text) => {
  const iso = keyType === 'date' ? `${text}T00:00:00Z` : text.replace(' ', 'T').replace(/\+00$/, 'Z');
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms / 1000;
};

const monthlyBounds = [
  "FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2024-02-01 00:00:00+00')",
  "FOR VALUES FROM ('2024-02-01 00:00:00+00') TO ('2024-03-01 00:00:00+00')",
  "FOR VALUES FROM ('2024-03-01 00:00:00+00') TO ('2024-04-01 00:00:00+00')",
];

describe('derivePartitions', () => {
  it('reports counts, bounds, coverage and the missing next month of a monthly timestamptz table', () => {
    const result = derivePartitions(
      [row({ bounds: monthlyBounds, default_partition: 'events_default', default_rows: 42 })],
      'app',
      isoEpochs,
    );
    const labels = { datname: 'app', schemaname: 'public', relname: 'events' };
    expect(valueOfSample(result, 'pg_partition_count', labels)).toBe(3);
    expect(valueOfSample(result, 'pg_partition_default_rows', labels)).toBe(42);
    expect(valueOfSample(result, 'pg_partition_newest_bound_seconds', labels)).toBe(
      epoch('2024-04-01T00:00:00Z'),
    );
    // timestamptz keys compare with the real now.
    expect(valueOfSample(result, 'pg_partition_future_coverage_seconds', labels)).toBe(
      epoch('2024-04-01T00:00:00Z') - NOW,
    );
    expect(valueOfSample(result, 'pg_partitions_missing_future', labels)).toBe(1);
    expect(result.snapshots?.[0]?.rows[0]).toMatchObject({
      strategy: 'range',
      oldest_bound: '2024-01-01 00:00:00+00',
      newest_bound: '2024-04-01 00:00:00+00',
      newest_bound_time: epoch('2024-04-01T00:00:00Z') * 1000,
      period_seconds: 31 * 86_400,
      default_partition: 'events_default',
      default_rows: 42,
      missing_next: true,
    });
  });

  it('compares date keys with the local now', () => {
    const bounds = [
      "FOR VALUES FROM ('2024-03-01') TO ('2024-04-01')",
      "FOR VALUES FROM ('2024-04-01') TO ('2024-05-01')",
    ];
    const result = derivePartitions([row({ key_type: 'date', bounds })], 'app', isoEpochs);
    expect(valueOfSample(result, 'pg_partition_future_coverage_seconds')).toBe(
      epoch('2024-05-01T00:00:00Z') - (NOW + 3600),
    );
    expect(valueOfSample(result, 'pg_partitions_missing_future')).toBe(0);
  });

  it('reports integer bounds in the snapshot only, with no time metrics', () => {
    const bounds = ["FOR VALUES FROM ('-10') TO (0)", 'FOR VALUES FROM (0) TO (1000)'];
    const result = derivePartitions([row({ key_type: 'int8', bounds })], 'app', isoEpochs);
    expect(result.snapshots?.[0]?.rows[0]).toMatchObject({
      oldest_bound: '-10',
      newest_bound: '1000',
      newest_bound_time: null,
      missing_next: null,
    });
    expect(valueOfSample(result, 'pg_partition_newest_bound_seconds')).toBeUndefined();
    expect(valueOfSample(result, 'pg_partitions_missing_future')).toBeUndefined();
  });

  it('omits bound metrics rather than guessing when a bound is not understood', () => {
    const result = derivePartitions(
      [row({ bounds: [...monthlyBounds, "FOR VALUES FROM ('garbage') TO ('2024-05-01 00:00:00+00')"] })],
      'app',
      isoEpochs,
    );
    expect(valueOfSample(result, 'pg_partition_count')).toBe(3);
    expect(valueOfSample(result, 'pg_partitions_missing_future')).toBeUndefined();
    expect(result.snapshots?.[0]?.rows[0]).toMatchObject({ newest_bound: null, missing_next: null });
  });

  it('reports list and hash tables by count, and a default partition only once analysed', () => {
    const result = derivePartitions(
      [
        row({
          relname: 'by_tenant',
          strategy: 'l',
          key_type: 'text',
          partitions: 4,
          leaf_partitions: 7,
          default_partition: 'by_tenant_other',
          default_rows: null,
        }),
        row({ relname: 'by_hash', strategy: 'h', key_type: 'int4', partitions: 8, leaf_partitions: 8 }),
      ],
      'app',
      isoEpochs,
    );
    expect(valueOfSample(result, 'pg_partition_count', { relname: 'by_tenant' })).toBe(7);
    expect(valueOfSample(result, 'pg_partition_count', { relname: 'by_hash' })).toBe(8);
    expect(valueOfSample(result, 'pg_partition_default_rows', { relname: 'by_tenant' })).toBeUndefined();
    expect(result.snapshots?.[0]?.rows.map((r) => r.strategy)).toEqual(['list', 'hash']);
  });
});

describe('timeValuesToConvert', () => {
  it('lists each time bound value once, with its key type, and nothing for other keys', () => {
    const rows = [
      row({ bounds: monthlyBounds }),
      row({ relname: 'by_day', key_type: 'date', bounds: ["FOR VALUES FROM (MINVALUE) TO ('2024-01-01')"] }),
      row({ relname: 'by_id', key_type: 'int4', bounds: ['FOR VALUES FROM (0) TO (10)'] }),
    ];
    const { values, keyTypes } = timeValuesToConvert(rows);
    expect(values).toEqual([
      '2024-01-01 00:00:00+00',
      '2024-02-01 00:00:00+00',
      '2024-03-01 00:00:00+00',
      '2024-04-01 00:00:00+00',
      '2024-01-01',
    ]);
    expect(keyTypes).toEqual(['timestamptz', 'timestamptz', 'timestamptz', 'timestamptz', 'date']);
    expect(epochKey('date', 'x')).not.toBe(epochKey('timestamp', 'x'));
  });
});
