import { CustomMetricConfig } from '../../config/schema';
import { customSamples } from './derive';

const metric = (overrides: Partial<CustomMetricConfig> = {}): CustomMetricConfig => ({
  name: 'task_queue_depth',
  help: 'Tasks by status',
  sql: 'SELECT status, count(*) AS count FROM tasks GROUP BY status',
  interval_s: 60,
  value_columns: ['count'],
  label_columns: ['status'],
  max_rows: 100,
  ...overrides,
});

describe('customSamples', () => {
  it('makes one sample per row and value column, labelled by the label columns', () => {
    const { samples, truncated } = customSamples(metric({ value_columns: ['count', 'oldest_s'] }), [
      { status: 'queued', count: '12', oldest_s: 30.5 },
      { status: 'done', count: '3', oldest_s: null },
    ]);
    expect(truncated).toBe(false);
    expect(samples).toEqual([
      { metric: 'pg_custom_task_queue_depth_count', labels: { status: 'queued' }, value: 12 },
      { metric: 'pg_custom_task_queue_depth_oldest_s', labels: { status: 'queued' }, value: 30.5 },
      // NULL: no value, no sample.
      { metric: 'pg_custom_task_queue_depth_count', labels: { status: 'done' }, value: 3 },
    ]);
  });

  it('drops the rows past max_rows and says so', () => {
    const rows = [1, 2, 3, 4].map((n) => ({ status: `s${n}`, count: n }));
    const { samples, truncated } = customSamples(metric({ max_rows: 3 }), rows);
    expect(truncated).toBe(true);
    expect(samples.map((s) => s.labels.status)).toEqual(['s1', 's2', 's3']);
  });

  it('sanitizes label values and turns NULL into an empty label', () => {
    const { samples } = customSamples(metric(), [
      { status: 'line\nbreak', count: 1 },
      { status: null, count: 2 },
      { status: 'x'.repeat(500), count: 3 },
    ]);
    expect(samples.map((s) => s.labels.status)).toEqual(['line break', '', `${'x'.repeat(119)}…`]);
  });

  it('fails naming the column when a value is not numeric', () => {
    expect(() => customSamples(metric(), [{ status: 'queued', count: 'many' }])).toThrow(
      'value column count is not numeric: "many" (row 1)',
    );
    expect(() => customSamples(metric(), [{ status: 'queued', count: true }])).toThrow(
      /value column count is not numeric/,
    );
  });

  it('fails when a configured column is missing from the result', () => {
    expect(() => customSamples(metric(), [{ state: 'queued', count: 1 }])).toThrow(
      'column status is not in the result (columns: state, count)',
    );
  });

  it('fails when two rows carry the same labels (one would hide the other)', () => {
    expect(() =>
      customSamples(metric(), [
        { status: 'a', count: 1 },
        { status: 'a', count: 2 },
      ]),
    ).toThrow('rows 1 and 2 have the same labels {"status":"a"}: aggregate them or add a label column');
  });
});
