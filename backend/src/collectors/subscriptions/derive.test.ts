import { Sample } from '../types';
import {
  conflictSamples,
  deriveSubscriptions,
  SubscriptionRow,
  SubscriptionTableRow,
  tablesNotReady,
} from './derive';

const subscription = (overrides: Partial<SubscriptionRow> = {}): SubscriptionRow => ({
  subscription: 'orders_sub',
  database: 'app',
  enabled: true,
  slot_name: 'orders_sub',
  worker_running: true,
  sync_workers: 0,
  received_lsn: '0/3000060',
  latest_end_lsn: '0/3000060',
  last_msg_send_ms: 1_000,
  last_msg_receipt_ms: 1_001,
  last_msg_age_seconds: 2.5,
  latest_end_ms: 1_000,
  tables_init: 0,
  tables_data_copy: 0,
  tables_finished_copy: 0,
  tables_sync_done: 0,
  tables_ready: 3,
  apply_error_count: 0,
  sync_error_count: 0,
  ...overrides,
});

const table = (overrides: Partial<SubscriptionTableRow> = {}): SubscriptionTableRow => ({
  subscription: 'orders_sub',
  schemaname: 'public',
  relname: 'orders',
  state: 'd',
  sync_lsn: null,
  ...overrides,
});

const value = (samples: Sample[], metric: string, labels: Record<string, string> = {}) =>
  samples.find((s) => s.metric === metric && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    ?.value;

const T0 = Date.UTC(2030, 0, 1);

describe('tablesNotReady', () => {
  it('counts every state but ready, unknown (another database) as none', () => {
    expect(
      tablesNotReady([
        subscription({ tables_init: 2, tables_data_copy: 1, tables_sync_done: 1 }),
        subscription({ tables_init: null, tables_data_copy: null, tables_ready: null }),
      ]),
    ).toBe(4);
    expect(tablesNotReady([subscription()])).toBe(0);
  });
});

describe('deriveSubscriptions', () => {
  it('exports a healthy subscription: enabled, worker running, tables by state, error counters', () => {
    const { result } = deriveSubscriptions([subscription()], [], undefined, T0);
    const labels = { datname: 'app', subscription: 'orders_sub' };
    expect(value(result.samples, 'pg_subscription_enabled', labels)).toBe(1);
    expect(value(result.samples, 'pg_subscription_worker_running', labels)).toBe(1);
    expect(value(result.samples, 'pg_subscription_last_message_age_seconds', labels)).toBe(2.5);
    expect(value(result.samples, 'pg_subscription_tables', { ...labels, state: 'ready' })).toBe(3);
    expect(value(result.samples, 'pg_subscription_tables', { ...labels, state: 'data_copy' })).toBe(0);
    expect(value(result.samples, 'pg_subscription_apply_errors_total', labels)).toBe(0);
    const [row] = result.snapshots?.[0]?.rows ?? [];
    expect(row).toMatchObject({ subscription: 'orders_sub', worker_down_seconds: null, tables_ready: 3 });
    expect(result.snapshots?.[1]).toEqual({ kind: 'subscription_tables', rows: [] });
  });

  it('leaves out what is unknown: table states of another database, errors before 15, age without a worker', () => {
    const { result } = deriveSubscriptions(
      [
        subscription({
          worker_running: false,
          enabled: false,
          last_msg_age_seconds: null,
          tables_init: null,
          tables_data_copy: null,
          tables_finished_copy: null,
          tables_sync_done: null,
          tables_ready: null,
          apply_error_count: null,
          sync_error_count: null,
        }),
      ],
      [],
      undefined,
      T0,
    );
    expect(result.samples.map((s) => [s.metric, s.value])).toEqual([
      ['pg_subscription_enabled', 0],
      ['pg_subscription_worker_running', 0],
    ]);
    // Disabled: no worker is expected, so none is "down".
    expect(result.snapshots?.[0]?.rows[0]).toMatchObject({ worker_down_seconds: null, tables_ready: null });
  });

  it('counts how long an enabled subscription has been without its worker, from the first cycle that saw it', () => {
    const down = subscription({ worker_running: false, last_msg_age_seconds: null });
    const first = deriveSubscriptions([down], [], undefined, T0);
    expect(first.result.snapshots?.[0]?.rows[0]?.worker_down_seconds).toBe(0);
    const later = deriveSubscriptions([down], [], first.memory, T0 + 90_000);
    expect(later.result.snapshots?.[0]?.rows[0]?.worker_down_seconds).toBe(90);
    // Seen running once: the count starts again next time it is down.
    const up = deriveSubscriptions([subscription()], [], later.memory, T0 + 120_000);
    expect(up.result.snapshots?.[0]?.rows[0]?.worker_down_seconds).toBeNull();
    const again = deriveSubscriptions([down], [], up.memory, T0 + 180_000);
    expect(again.result.snapshots?.[0]?.rows[0]?.worker_down_seconds).toBe(0);
  });

  it('tells apart subscriptions of the same name in two databases', () => {
    const { result, memory } = deriveSubscriptions(
      [subscription({ worker_running: false }), subscription({ database: 'other' })],
      [],
      undefined,
      T0,
    );
    expect(value(result.samples, 'pg_subscription_worker_running', { datname: 'app' })).toBe(0);
    expect(value(result.samples, 'pg_subscription_worker_running', { datname: 'other' })).toBe(1);
    expect(memory.workerDownSince.size).toBe(1);
  });

  it('lists the tables not ready with their state by name and how long they have been so', () => {
    const rows = [table(), table({ relname: 'lines', state: 'i' })];
    const first = deriveSubscriptions(
      [subscription({ tables_data_copy: 1, tables_init: 1 })],
      rows,
      undefined,
      T0,
    );
    const next = deriveSubscriptions(
      [subscription({ tables_data_copy: 1 })],
      [table()],
      first.memory,
      T0 + 600_000,
    );
    expect(next.result.snapshots?.[1]?.rows).toEqual([
      {
        subscription: 'orders_sub',
        schemaname: 'public',
        relname: 'orders',
        state: 'data_copy',
        sync_lsn: null,
        not_ready_seconds: 600,
      },
    ]);
    // A table gone from the list (ready now) is forgotten.
    expect([...next.memory.notReadySince.keys()]).toHaveLength(1);
  });
});

describe('conflictSamples', () => {
  it('exports each kind of conflict of a subscription under the conflict label, none that is unknown', () => {
    const samples = conflictSamples([
      {
        subscription: 'orders_sub',
        database: 'app',
        insert_exists: 0,
        update_origin_differs: null,
        update_exists: 1,
        update_missing: 3,
        delete_origin_differs: 0,
        delete_missing: 2,
        multiple_unique_conflicts: 0,
      },
    ]);
    expect(samples).toHaveLength(6);
    expect(samples).toContainEqual({
      metric: 'pg_subscription_conflicts_total',
      labels: { datname: 'app', subscription: 'orders_sub', conflict: 'update_missing' },
      value: 3,
    });
    expect(samples.some((s) => s.labels.conflict === 'update_origin_differs')).toBe(false);
  });
});
