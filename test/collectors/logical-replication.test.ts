import { Client, escapeLiteral } from 'pg';
import { replicationCollector } from '../../backend/src/collectors/replication';
import { subscriptionsCollector } from '../../backend/src/collectors/subscriptions';
import { FindingRecord } from '../../backend/src/findings/types';
import { createMonitorRole, FindingsKit, monitorUrl, Thresholds } from '../findings/findings-kit';
import { eventually } from '../support/backend-process';
import { collectOnce, valueOf } from '../support/collect';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';

/**
 * Logical replication between two servers: a publisher (wal_level logical) and a subscriber,
 * both collected as the pg_monitor role. Stages on the subscriber: a subscription replicating
 * (no finding), one whose table copy fails on a row already there (tables not ready, sync
 * errors), an apply error on a conflicting row (no apply worker, apply errors), an update of a
 * row missing on the subscriber (a skipped change, counted as a conflict on 18+); on the
 * publisher, a test_decoding slot decoding a large transaction with a tiny
 * logical_decoding_work_mem (spill), and the same transaction decoded in memory (no spill).
 */
jest.setTimeout(240_000);

const WAIT_MS = 60_000;

describe.each(majorsUnderTest())('logical replication on PostgreSQL %i', (major) => {
  let publisher: TestPostgres;
  let subscriber: TestPostgres;
  const hasErrorStats = major >= 15;

  const subscribe = async (name: string, publication: string) =>
    subscriber.query(
      `CREATE SUBSCRIPTION ${name} CONNECTION ${escapeLiteral(publisher.superuserUrl)} PUBLICATION ${publication}`,
    );
  const one = async (pg: TestPostgres, sql: string) => (await pg.query(sql))[0];
  const collectSubscriber = () => collectOnce(monitorUrl(subscriber), subscriptionsCollector);
  const openFor = (kit: FindingsKit, kind: string, name: string) =>
    kit.open(kind).find((f) => f.object.name === name);
  /** Observes the subscriber until a finding of the kind is open on the subscription. */
  const untilOpen = (kit: FindingsKit, kind: string, name: string): Promise<FindingRecord> =>
    kit.observeUntil(
      subscriptionsCollector,
      () => openFor(kit, kind, name),
      `${kind} open for ${name}`,
      WAIT_MS,
    );
  /** Observes the subscriber until that finding has resolved. */
  const untilResolved = (kit: FindingsKit, kind: string, name: string): Promise<FindingRecord> =>
    kit.observeUntil(
      subscriptionsCollector,
      () => !openFor(kit, kind, name) && kit.resolved(kind).find((f) => f.object.name === name),
      `${kind} resolved for ${name}`,
      WAIT_MS,
    );

  beforeAll(async () => {
    publisher = await startPostgres({ major, maxConnections: 30, settings: { wal_level: 'logical' } });
    // A failed worker is restarted after wal_retrieve_retry_interval: 1 s keeps the stages short.
    subscriber = await startPostgres({
      major,
      maxConnections: 30,
      settings: { wal_retrieve_retry_interval: '1s' },
    });
    await createMonitorRole(publisher);
    await createMonitorRole(subscriber);
    for (const pg of [publisher, subscriber]) {
      await pg.query('CREATE TABLE items (id int PRIMARY KEY, v text)');
      await pg.query('CREATE TABLE stuck (id int PRIMARY KEY)');
    }
    await publisher.query("INSERT INTO items SELECT g, 'first' FROM generate_series(1, 3) g");
    await publisher.query('INSERT INTO stuck VALUES (1)');
    // The row the copy of stuck will collide with.
    await subscriber.query('INSERT INTO stuck VALUES (1)');
    await publisher.query('CREATE PUBLICATION pub_items FOR TABLE items');
    await publisher.query('CREATE PUBLICATION pub_stuck FOR TABLE stuck');
  });

  afterAll(async () => {
    // Dropping a subscription drops its slot on the publisher: the subscriber goes first.
    await subscriber?.destroy();
    await publisher?.destroy();
  });

  it('reports a replicating subscription and its slot on the publisher, with no finding', async () => {
    await subscribe('sub_items', 'pub_items');
    await eventually(
      async () =>
        (await one(subscriber, "SELECT count(*)::int AS n FROM pg_subscription_rel WHERE srsubstate <> 'r'"))
          ?.n === 0 &&
        (await one(subscriber, "SELECT pid FROM pg_stat_subscription WHERE subname = 'sub_items'"))?.pid
          ? true
          : undefined,
      WAIT_MS,
      'sub_items ready and running',
    );
    await publisher.query("INSERT INTO items VALUES (4, 'replicated')");
    await eventually(
      async () =>
        (await one(subscriber, 'SELECT count(*)::int AS n FROM items'))?.n === 4 ? true : undefined,
      WAIT_MS,
      'the new row on the subscriber',
    );

    const result = await collectSubscriber();
    const labels = { datname: 'postgres', subscription: 'sub_items' };
    expect(valueOf(result, 'pg_subscription_enabled', labels)).toBe(1);
    expect(valueOf(result, 'pg_subscription_worker_running', labels)).toBe(1);
    expect(valueOf(result, 'pg_subscription_tables', { ...labels, state: 'ready' })).toBe(1);
    expect(valueOf(result, 'pg_subscription_tables', { ...labels, state: 'data_copy' })).toBe(0);
    expect(valueOf(result, 'pg_subscription_last_message_age_seconds', labels)).toBeGreaterThanOrEqual(0);
    expect(valueOf(result, 'pg_subscription_apply_errors_total', labels)).toBe(hasErrorStats ? 0 : undefined);
    expect(result.snapshots?.[0]?.rows).toEqual([
      expect.objectContaining({
        subscription: 'sub_items',
        database: 'postgres',
        enabled: true,
        slot_name: 'sub_items',
        worker_running: true,
        worker_down_seconds: null,
        tables_ready: 1,
      }),
    ]);
    expect(result.snapshots?.[1]?.rows).toEqual([]);
    // Never the connection string: it holds the publisher's password.
    expect(JSON.stringify(result)).not.toContain(publisher.superuserUrl);

    const kit = new FindingsKit(subscriber);
    await kit.observe(subscriptionsCollector);
    await kit.observe(subscriptionsCollector);
    expect(kit.engine.findings().filter((f) => f.kind.startsWith('subscription_'))).toEqual([]);
    expect(kit.engine.checks({ kinds: ['subscription_down', 'subscription_errors'] })).toEqual([
      expect.objectContaining({ kind: 'subscription_down', state: 'ok' }),
      expect.objectContaining({ kind: 'subscription_errors', state: 'ok' }),
    ]);

    // The publisher side: the subscription's logical slot, active, with its decoding counters.
    const slots = await collectOnce(monitorUrl(publisher), replicationCollector);
    expect(
      valueOf(slots, 'pg_replication_slot_active', { slot_name: 'sub_items', slot_type: 'logical' }),
    ).toBe(1);
    expect(valueOf(slots, 'pg_replication_slot_spill_bytes_total', { slot_name: 'sub_items' })).toBe(0);
    expect(valueOf(slots, 'pg_replication_slot_decoded_txns_total', { slot_name: 'sub_items' })).toEqual(
      expect.any(Number),
    );
  });

  it('keeps a table whose copy fails not ready, and resolves once the conflicting row is gone', async () => {
    const kit = new FindingsKit(subscriber, { subscription_sync_stuck: { warning_s: 0 } });
    await subscribe('sub_stuck', 'pub_stuck');
    const stuck = await untilOpen(kit, 'subscription_sync_stuck', 'sub_stuck');
    expect(stuck).toMatchObject({
      severity: 'warning',
      object: { type: 'subscription', database: 'postgres' },
    });
    expect(stuck.evidence).toEqual([
      expect.objectContaining({ subscription: 'sub_stuck', schemaname: 'public', relname: 'stuck' }),
    ]);
    expect(['init', 'data_copy']).toContain(stuck.evidence[0]?.state);
    const result = await collectSubscriber();
    const labels = { datname: 'postgres', subscription: 'sub_stuck' };
    expect(
      (valueOf(result, 'pg_subscription_tables', { ...labels, state: 'init' }) ?? 0) +
        (valueOf(result, 'pg_subscription_tables', { ...labels, state: 'data_copy' }) ?? 0),
    ).toBe(1);

    if (hasErrorStats) {
      // Each failed copy counts a sync error: the counter rises between two cycles.
      const errors = await untilOpen(kit, 'subscription_errors', 'sub_stuck');
      expect(errors.severity).toBe('warning');
      expect(errors.evidence[0]).toMatchObject({ apply_errors_in_window: 0 });
      expect(errors.evidence[0]?.sync_errors_in_window).toBeGreaterThan(0);
    } else {
      expect(valueOf(result, 'pg_subscription_sync_errors_total', labels)).toBeUndefined();
    }

    await subscriber.query('DELETE FROM stuck');
    await untilResolved(kit, 'subscription_sync_stuck', 'sub_stuck');
    expect(await one(subscriber, 'SELECT count(*)::int AS n FROM stuck')).toEqual({ n: 1 });
  });

  it('finds the apply worker down on a conflicting row (and its apply errors on 15+), resolved once fixed', async () => {
    const thresholds: Thresholds = {
      subscription_down: { warning_down_s: 0 },
      subscription_errors: { critical_apply_errors: 2, window_s: 3600 },
    };
    const kit = new FindingsKit(subscriber, thresholds);
    await kit.observe(subscriptionsCollector);
    expect(openFor(kit, 'subscription_down', 'sub_items')).toBeUndefined();

    await subscriber.query("INSERT INTO items VALUES (100, 'subscriber')");
    await publisher.query("INSERT INTO items VALUES (100, 'publisher')");
    // The worker fails on the row, is restarted a second later and fails again: a cycle sees it down.
    const down: FindingRecord = await untilOpen(kit, 'subscription_down', 'sub_items');
    expect(down).toMatchObject({
      severity: 'warning',
      object: { type: 'subscription', database: 'postgres' },
    });
    expect(down.evidence[0]).toMatchObject({ enabled: true, worker_running: false });
    if (hasErrorStats) {
      const errors = await kit.observeUntil(
        subscriptionsCollector,
        () => {
          const finding = openFor(kit, 'subscription_errors', 'sub_items');
          return finding?.severity === 'critical' && finding;
        },
        'apply errors critical',
        WAIT_MS,
      );
      expect(errors.evidence[0]?.apply_errors_in_window).toBeGreaterThanOrEqual(2);
    }

    await subscriber.query('DELETE FROM items WHERE id = 100');
    await untilResolved(kit, 'subscription_down', 'sub_items');
    await eventually(
      async () =>
        (await one(subscriber, 'SELECT v FROM items WHERE id = 100'))?.v === 'publisher' || undefined,
      WAIT_MS,
      "the publisher's row applied",
    );

    // Disabled: replicates nothing, on purpose or not: an info finding with the statement to enable it.
    await subscriber.query('ALTER SUBSCRIPTION sub_items DISABLE');
    const disabled = await kit.observeUntil(
      subscriptionsCollector,
      () => {
        const finding = openFor(kit, 'subscription_down', 'sub_items');
        return finding?.severity === 'info' && finding;
      },
      'the disabled subscription',
      WAIT_MS,
    );
    expect(disabled.remediation.statements).toEqual(['ALTER SUBSCRIPTION sub_items ENABLE;']);
    await kit.remediate(disabled);
    await untilResolved(kit, 'subscription_down', 'sub_items');
  });

  it('finds changes skipped on rows missing on the subscriber (conflicts, 18+)', async () => {
    const kit = new FindingsKit(subscriber);
    await kit.observe(subscriptionsCollector);
    await publisher.query("INSERT INTO items VALUES (300, 'first')");
    await eventually(
      async () => (await one(subscriber, 'SELECT v FROM items WHERE id = 300')) ?? undefined,
      WAIT_MS,
      'row 300 replicated',
    );
    // Gone on the subscriber only: the publisher's update finds no row there and is skipped.
    await subscriber.query('DELETE FROM items WHERE id = 300');
    await publisher.query("UPDATE items SET v = 'second' WHERE id = 300");
    if (major < 18) {
      // Not counted before 18: no conflict series at all rather than made-up zeros.
      const result = await collectSubscriber();
      expect(result.samples.filter((s) => s.metric === 'pg_subscription_conflicts_total')).toEqual([]);
      return;
    }
    const conflict = await untilOpen(kit, 'subscription_conflicts', 'sub_items');
    expect(conflict).toMatchObject({
      severity: 'warning',
      object: { type: 'subscription', database: 'postgres' },
      title: expect.stringMatching(/^Subscription sub_items: 1 change skipped in /),
    });
    expect(conflict.evidence[0]).toMatchObject({ update_missing_in_window: 1 });
    expect(await one(subscriber, 'SELECT count(*)::int AS n FROM items WHERE id = 300')).toEqual({ n: 0 });
  });

  it('finds a slot spilling decoded changes to disk, and nothing for the same load decoded in memory', async () => {
    const kit = new FindingsKit(publisher, {
      logical_decoding_spill: { warning_bytes_per_second: 1, window_s: 1 },
    });
    await publisher.query('CREATE TABLE big (id int, payload text)');
    await publisher.query("SELECT pg_create_logical_replication_slot('cdc_spill', 'test_decoding')");
    const decoder = new Client({ connectionString: publisher.superuserUrl });
    await decoder.connect();
    const load = () =>
      decoder.query('INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, 50000) g');
    const decode = () =>
      decoder.query("SELECT count(*) FROM pg_logical_slot_get_changes('cdc_spill', NULL, NULL)");
    const spilled = async () =>
      Number(
        (
          await one(
            publisher,
            "SELECT spill_bytes FROM pg_stat_replication_slots WHERE slot_name = 'cdc_spill'",
          )
        )?.spill_bytes ?? -1,
      );
    try {
      await kit.observe(replicationCollector);
      // The default logical_decoding_work_mem (64MB) holds the transaction: no spill.
      await load();
      await decode();
      await kit.observe(replicationCollector);
      expect(await spilled()).toBe(0);
      expect(kit.open('logical_decoding_spill')).toEqual([]);

      await decoder.query("SET logical_decoding_work_mem = '64kB'");
      await load();
      await decode();
      await eventually(async () => ((await spilled()) > 0 ? true : undefined), WAIT_MS, 'the spill counted');
      await kit.observe(replicationCollector);
      const [finding] = kit.open('logical_decoding_spill');
      expect(finding).toMatchObject({
        severity: 'warning',
        object: { type: 'replication_slot', name: 'cdc_spill', database: 'postgres' },
      });
      expect(finding?.evidence[0]).toMatchObject({ slot_name: 'cdc_spill', plugin: 'test_decoding' });
      expect(finding?.evidence[0]?.spill_bytes).toBeGreaterThan(0);

      const result = await collectOnce(monitorUrl(publisher), replicationCollector);
      expect(
        valueOf(result, 'pg_replication_slot_spill_bytes_total', { slot_name: 'cdc_spill' }),
      ).toBeGreaterThan(0);
      expect(
        valueOf(result, 'pg_replication_slot_spill_txns_total', { slot_name: 'cdc_spill' }),
      ).toBeGreaterThan(0);

      // Nothing spilled since: once the window has passed, the finding resolves.
      await kit.observeUntil(
        replicationCollector,
        () => kit.open('logical_decoding_spill').length === 0,
        'the spill finding resolved',
        WAIT_MS,
      );
    } finally {
      await decoder.end();
      await publisher.query("SELECT pg_drop_replication_slot('cdc_spill')");
    }
  });
});
