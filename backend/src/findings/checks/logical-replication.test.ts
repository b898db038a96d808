import { SnapshotRow } from '../../collectors/types';
import { runCheck } from './testing/run-check';

const subscription = (overrides: SnapshotRow = {}): SnapshotRow => ({
  subscription: 'orders_sub',
  database: 'app',
  enabled: true,
  slot_name: 'orders_sub',
  worker_running: true,
  worker_down_seconds: null,
  sync_workers: 0,
  tables_ready: 3,
  apply_error_count: 0,
  sync_error_count: 0,
  ...overrides,
});

const labels = { datname: 'app', subscription: 'orders_sub' };

describe('subscription_down', () => {
  it('raises an enabled subscription without its worker by how long, and says nothing of a running one', () => {
    const findings = runCheck('subscription_down', {
      subscriptions: [
        subscription(),
        subscription({ subscription: 'a', worker_running: false, worker_down_seconds: 60 }),
        subscription({ subscription: 'b', worker_running: false, worker_down_seconds: 400 }),
        subscription({ subscription: 'c', worker_running: false, worker_down_seconds: 7200 }),
      ],
    });
    expect(findings.map((f) => [f.object.name, f.severity])).toEqual([
      ['b', 'warning'],
      ['c', 'critical'],
    ]);
    expect(findings[0]?.object).toEqual({ type: 'subscription', name: 'b', database: 'app' });
    expect(findings[1]?.title).toMatch(/no apply worker for 2\.0 h/);
  });

  it('reports a disabled subscription as info, with the statement that enables it, quoted', () => {
    const [finding] = runCheck('subscription_down', {
      subscriptions: [subscription({ subscription: 'Orders; drop', enabled: false, worker_running: false })],
    });
    expect(finding?.severity).toBe('info');
    expect(finding?.remediation.statements).toEqual(['ALTER SUBSCRIPTION "Orders; drop" ENABLE;']);
  });
});

describe('subscription_errors', () => {
  const errors = (apply: number, sync: number, spanMs = 600_000) => ({
    pg_subscription_apply_errors_total: [{ labels, increase: apply, spanMs }],
    pg_subscription_sync_errors_total: [{ labels, increase: sync, spanMs }],
  });

  it('finds nothing without new errors, a warning for a few, critical for an apply worker failing on every retry', () => {
    const rows = { subscriptions: [subscription({ apply_error_count: 40 })] };
    expect(runCheck('subscription_errors', rows, { increases: errors(0, 0) })).toEqual([]);
    const [few] = runCheck('subscription_errors', rows, { increases: errors(0, 2) });
    expect(few).toMatchObject({ severity: 'warning', object: { type: 'subscription', name: 'orders_sub' } });
    expect(few?.title).toBe('Subscription orders_sub: 2 table sync errors in 10 min');
    const [many] = runCheck('subscription_errors', rows, { increases: errors(12, 0) });
    expect(many?.severity).toBe('critical');
    expect(many?.evidence[0]).toMatchObject({
      subscription: 'orders_sub',
      apply_error_count: 40,
      apply_errors_in_window: 12,
      sync_errors_in_window: 0,
      window_seconds: 600,
    });
    expect(many?.remediation.steps.join(' ')).toMatch(/ALTER SUBSCRIPTION orders_sub SKIP/);
  });

  it('names a subscription from its labels when the snapshot lacks it', () => {
    const [finding] = runCheck('subscription_errors', {}, { increases: errors(1, 0) });
    expect(finding?.object).toEqual({ type: 'subscription', name: 'orders_sub', database: 'app' });
  });
});

describe('subscription_conflicts', () => {
  const conflicts = (counts: Record<string, number>, spanMs = 900_000) => ({
    pg_subscription_conflicts_total: Object.entries(counts).map(([conflict, increase]) => ({
      labels: { ...labels, conflict },
      increase,
      spanMs,
    })),
  });
  const rows = { subscriptions: [subscription()] };

  it('warns of skipped changes, says overwritten ones (info), and leaves the worker-stopping ones to subscription_errors', () => {
    expect(
      runCheck('subscription_conflicts', rows, {
        increases: conflicts({ update_missing: 0, insert_exists: 5, update_exists: 2 }),
      }),
    ).toEqual([]);
    const [skipped] = runCheck('subscription_conflicts', rows, {
      increases: conflicts({ update_missing: 2, delete_missing: 1, update_origin_differs: 4 }),
    });
    expect(skipped).toMatchObject({
      severity: 'warning',
      object: { type: 'subscription', name: 'orders_sub', database: 'app' },
      title: 'Subscription orders_sub: 3 changes skipped in 15 min, rows missing on the subscriber',
    });
    expect(skipped?.evidence[0]).toMatchObject({
      update_missing_in_window: 2,
      delete_missing_in_window: 1,
      update_origin_differs_in_window: 4,
      window_seconds: 900,
    });
    expect(skipped?.remediation.steps.join(' ')).toMatch(/ALTER SUBSCRIPTION orders_sub REFRESH PUBLICATION/);
    const [overwritten] = runCheck('subscription_conflicts', rows, {
      increases: conflicts({ delete_origin_differs: 1 }),
    });
    expect(overwritten).toMatchObject({ severity: 'info' });
    expect(overwritten?.title).toBe(
      'Subscription orders_sub: 1 change of another origin overwritten in 15 min',
    );
  });

  it('raises the bar with warning_skipped', () => {
    const [few] = runCheck('subscription_conflicts', rows, {
      increases: conflicts({ update_missing: 2 }),
      params: { warning_skipped: 5 },
    });
    expect(few).toBeUndefined();
  });
});

describe('subscription_sync_stuck', () => {
  const table = (relname: string, seconds: number, state = 'data_copy'): SnapshotRow => ({
    subscription: 'orders_sub',
    schemaname: 'public',
    relname,
    state,
    sync_lsn: null,
    not_ready_seconds: seconds,
  });

  it('groups the tables not ready past the threshold by subscription, oldest named', () => {
    const findings = runCheck('subscription_sync_stuck', {
      subscriptions: [subscription({ tables_ready: 1, sync_workers: 2 })],
      subscription_tables: [table('orders', 7200), table('lines', 4000, 'init'), table('fresh', 30)],
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'warning',
      object: { type: 'subscription', name: 'orders_sub', database: 'app' },
    });
    expect(findings[0]?.title).toBe(
      'Subscription orders_sub: 2 tables not ready for over 60 min (public.orders: data_copy for 2.0 h)',
    );
    expect(findings[0]?.evidence.map((r) => r.relname)).toEqual(['orders', 'lines']);
  });

  it('finds nothing while every table is younger than the threshold', () => {
    expect(runCheck('subscription_sync_stuck', { subscription_tables: [table('orders', 100)] })).toEqual([]);
  });
});

describe('logical_decoding_spill', () => {
  const spill = (increase: number, spanMs = 900_000) => ({
    pg_replication_slot_spill_bytes_total: [{ labels: { slot_name: 'cdc' }, increase, spanMs }],
  });
  const slots = {
    replication: [{ object: 'slot', name: 'cdc', slot_type: 'logical', plugin: 'pgoutput', database: 'app' }],
  };

  it('raises a slot spilling more than the rate over the window, with its plugin and database', () => {
    const [finding] = runCheck('logical_decoding_spill', slots, { increases: spill(2 * 1024 ** 3) });
    expect(finding).toMatchObject({
      severity: 'warning',
      object: { type: 'replication_slot', name: 'cdc', database: 'app' },
    });
    expect(finding?.evidence[0]).toMatchObject({
      plugin: 'pgoutput',
      spill_bytes: 2 * 1024 ** 3,
      window_seconds: 900,
    });
    expect(finding?.title).toBe('Logical decoding for slot cdc spills 2.3 MB/s to disk');
  });

  it('finds nothing below the rate, without spill, or from a single observation', () => {
    expect(runCheck('logical_decoding_spill', slots, { increases: spill(100 * 1024 ** 2) })).toEqual([]);
    expect(runCheck('logical_decoding_spill', slots, { increases: spill(0) })).toEqual([]);
    expect(runCheck('logical_decoding_spill', slots, { increases: spill(5e9, 0) })).toEqual([]);
  });
});
