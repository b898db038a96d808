import pino from 'pino';
import { Registry } from 'prom-client';
import { LatestObservations } from '../../backend/src/collectors/latest-observations';
import { ObservationBus } from '../../backend/src/collectors/observation-bus';
import { replicationCollector, standbyCollector } from '../../backend/src/collectors/replication';
import { subscriptionsCollector } from '../../backend/src/collectors/subscriptions';
import { loadConfig } from '../../backend/src/config/load';
import { TargetMonitor } from '../../backend/src/db/target-monitor';
import { createCollectorMetrics } from '../../backend/src/scheduler/collector-metrics';
import { LoopRunner } from '../../backend/src/scheduler/loop-runner';
import { eventually } from '../support/backend-process';
import { collectOnce, valueOf } from '../support/collect';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';
import { startReplica, waitForReplay } from '../support/replica';

const MONITOR_PASSWORD = 'monitor-pw-7c1f';
const REPLICA = 'replica1';
const KINDS = ['write', 'flush', 'replay'];

/**
 * A primary with one streaming hot standby (built from a low-level base backup, see
 * test/support/replica.ts). Stages: caught up; replay paused on the standby while the primary
 * writes; an inactive slot holding WAL back; the workload loop run against both servers.
 */
describe.each(majorsUnderTest())('replication collectors on PostgreSQL %i', (major) => {
  let primary: TestPostgres;
  let standby: TestPostgres;

  beforeAll(async () => {
    primary = await startPostgres({ major, maxConnections: 30 });
    // The collector role as a DBA would create it (sql/roles): replicated to the standby.
    await primary.createRole('pgg_monitor', { password: MONITOR_PASSWORD, grants: ['pg_monitor'] });
    await primary.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    standby = await startReplica(primary, { applicationName: REPLICA, slotName: 'replica1_slot' });
  });

  afterAll(async () => {
    await standby?.destroy();
    await primary?.destroy();
  });

  it('reports the caught-up replica with small lags in bytes and seconds, and its slot', async () => {
    await waitForReplay(primary, standby);
    const result = await collectOnce(primary.superuserUrl, replicationCollector);
    expect(valueOf(result, 'pg_replicas_connected')).toBe(1);
    expect(valueOf(result, 'pg_replica_sync', { replica: REPLICA })).toBe(0);
    for (const kind of KINDS) {
      // A record half written at a page end can stand between the two for a moment: bytes, not pages.
      expect(valueOf(result, 'pg_replication_lag_bytes', { replica: REPLICA, kind })).toBeGreaterThanOrEqual(
        0,
      );
      expect(valueOf(result, 'pg_replication_lag_bytes', { replica: REPLICA, kind })).toBeLessThan(8192);
      expect(
        valueOf(result, 'pg_replication_lag_seconds', { replica: REPLICA, kind }),
      ).toBeGreaterThanOrEqual(0);
      expect(valueOf(result, 'pg_replication_lag_seconds', { replica: REPLICA, kind })).toBeLessThan(5);
    }
    expect(
      valueOf(result, 'pg_replication_slot_active', { slot_name: 'replica1_slot', slot_type: 'physical' }),
    ).toBe(1);
    const rows = result.snapshots?.find((s) => s.kind === 'replication')?.rows ?? [];
    expect(rows.find((r) => r.object === 'replica')).toMatchObject({
      name: REPLICA,
      state: 'streaming',
      sync_state: 'async',
      slot_name: 'replica1_slot',
      client_addr: '127.0.0.1',
    });
    expect(rows.find((r) => r.object === 'slot')).toMatchObject({
      name: 'replica1_slot',
      active: true,
      wal_status: 'reserved',
    });

    const onStandby = await collectOnce(standby.superuserUrl, standbyCollector);
    expect(valueOf(onStandby, 'pg_replication_is_standby')).toBe(1);
    expect(valueOf(onStandby, 'pg_wal_receiver_connected')).toBe(1);
    expect(valueOf(onStandby, 'pg_standby_replay_paused')).toBe(0);
    expect(valueOf(onStandby, 'pg_standby_receive_replay_lag_bytes')).toBeLessThan(8192);
    expect(valueOf(onStandby, 'pg_standby_replay_lag_seconds')).toBeLessThan(5);
    expect(onStandby.snapshots?.[0]?.rows[0]).toMatchObject({
      object: 'standby',
      state: 'streaming',
      slot_name: 'replica1_slot',
      sender_host: '127.0.0.1',
      sender_port: primary.port,
    });

    const onPrimary = await collectOnce(primary.superuserUrl, standbyCollector);
    expect(onPrimary.samples).toEqual([{ metric: 'pg_replication_is_standby', labels: {}, value: 0 }]);
  });

  it('shows the replay lag on both sides while replay is paused, and 0 once it catches up', async () => {
    await standby.query('SELECT pg_wal_replay_pause()');
    try {
      await eventually(
        async () =>
          (await standby.query('SELECT pg_get_wal_replay_pause_state() AS s'))[0]?.s === 'paused'
            ? true
            : undefined,
        10_000,
        'replay paused',
      );
      await primary.query(
        'CREATE TABLE lagging AS SELECT g AS id, md5(g::text) AS payload FROM generate_series(1, 5000) g',
      );
      const written = (
        await primary.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')
      )[0]?.lsn;
      await eventually(
        async () =>
          (await standby.query('SELECT pg_last_wal_receive_lsn() >= $1::pg_lsn AS ok', [written]))[0]?.ok
            ? true
            : undefined,
        10_000,
        'standby received the new WAL',
      );
      // The last commit the standby replayed is now more than a second old.
      await new Promise((r) => setTimeout(r, 1100));

      const primaryView = await collectOnce(primary.superuserUrl, replicationCollector);
      const replayBytes =
        valueOf(primaryView, 'pg_replication_lag_bytes', { replica: REPLICA, kind: 'replay' }) ?? 0;
      expect(replayBytes).toBeGreaterThan(100_000);
      // Received and flushed, only replay is behind.
      expect(
        valueOf(primaryView, 'pg_replication_lag_bytes', { replica: REPLICA, kind: 'flush' }),
      ).toBeLessThan(replayBytes);
      expect(primaryView.snapshots?.[0]?.rows.find((r) => r.object === 'replica')).toMatchObject({
        replay_lag_bytes: replayBytes,
      });

      const standbyView = await collectOnce(standby.superuserUrl, standbyCollector);
      expect(valueOf(standbyView, 'pg_standby_replay_paused')).toBe(1);
      expect(valueOf(standbyView, 'pg_standby_receive_replay_lag_bytes')).toBeGreaterThan(100_000);
      expect(valueOf(standbyView, 'pg_standby_replay_lag_seconds')).toBeGreaterThan(1);
      expect(valueOf(standbyView, 'pg_wal_receiver_connected')).toBe(1);
    } finally {
      await standby.query('SELECT pg_wal_replay_resume()');
    }

    await waitForReplay(primary, standby);
    // Caught up again: everything received is replayed, so no lag however old the last commit is.
    const caughtUp = await eventually(
      async () => {
        const result = await collectOnce(standby.superuserUrl, standbyCollector);
        return valueOf(result, 'pg_standby_receive_replay_lag_bytes') === 0 ? result : undefined;
      },
      15_000,
      'standby fully replayed',
    );
    expect(valueOf(caughtUp, 'pg_standby_replay_lag_seconds')).toBe(0);
    expect(valueOf(caughtUp, 'pg_standby_replay_paused')).toBe(0);
  });

  it('shows an inactive slot retaining more and more WAL', async () => {
    await primary.query("SELECT pg_create_physical_replication_slot('stale_slot', true)");
    const before = await collectOnce(primary.superuserUrl, replicationCollector);
    const retainedBefore =
      valueOf(before, 'pg_replication_slot_retained_wal_bytes', { slot_name: 'stale_slot' }) ?? -1;
    expect(
      valueOf(before, 'pg_replication_slot_active', { slot_name: 'stale_slot', slot_type: 'physical' }),
    ).toBe(0);
    expect(retainedBefore).toBeGreaterThanOrEqual(0);

    await primary.query(
      'CREATE TABLE churn AS SELECT g AS id, md5(g::text) AS payload FROM generate_series(1, 20000) g',
    );
    await primary.query('SELECT pg_switch_wal()');
    const exact = async () =>
      (
        await primary.query<{ bytes: number }>(
          "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::float8 AS bytes FROM pg_replication_slots WHERE slot_name = 'stale_slot'",
        )
      )[0]?.bytes ?? -1;
    const lower = await exact();
    const after = await collectOnce(primary.superuserUrl, replicationCollector);
    const upper = await exact();
    const retainedAfter =
      valueOf(after, 'pg_replication_slot_retained_wal_bytes', { slot_name: 'stale_slot' }) ?? -1;
    // What SQL says right before and right after (a background record may slip in between).
    expect(retainedAfter).toBeGreaterThanOrEqual(lower);
    expect(retainedAfter).toBeLessThanOrEqual(upper);
    expect(retainedAfter).toBeGreaterThan(retainedBefore + 1_000_000);
    expect(
      valueOf(after, 'pg_replication_slot_active', { slot_name: 'stale_slot', slot_type: 'physical' }),
    ).toBe(0);
    // max_slot_wal_keep_size = -1: no limit, so no safe size.
    expect(valueOf(after, 'pg_replication_slot_safe_wal_bytes', { slot_name: 'stale_slot' })).toBeUndefined();
    const row = after.snapshots?.[0]?.rows.find((r) => r.object === 'slot' && r.name === 'stale_slot');
    expect(row).toMatchObject({ active: false, slot_type: 'physical', retained_wal_bytes: retainedAfter });
    // PostgreSQL 17+ says since when nobody used it.
    if (major >= 17) expect(row?.inactive_since).toEqual(expect.any(Number));
    else expect(row?.inactive_since).toBeNull();

    // With a limit, how much more WAL the slot survives.
    await primary.query("ALTER SYSTEM SET max_slot_wal_keep_size = '1GB'");
    await primary.query('SELECT pg_reload_conf()');
    try {
      const limited = await eventually(
        async () => {
          const result = await collectOnce(primary.superuserUrl, replicationCollector);
          return valueOf(result, 'pg_replication_slot_safe_wal_bytes', { slot_name: 'stale_slot' }) ===
            undefined
            ? undefined
            : result;
        },
        10_000,
        'safe_wal_size under max_slot_wal_keep_size',
      );
      const safe = valueOf(limited, 'pg_replication_slot_safe_wal_bytes', { slot_name: 'stale_slot' }) ?? 0;
      expect(safe).toBeGreaterThan(0);
      expect(safe).toBeLessThanOrEqual(1024 ** 3 - retainedAfter + 16 * 1024 ** 2);
    } finally {
      await primary.query('ALTER SYSTEM RESET max_slot_wal_keep_size');
      await primary.query('SELECT pg_reload_conf()');
      await primary.query("SELECT pg_drop_replication_slot('stale_slot')");
    }
  });

  it('skips the primary-only collectors on the standby through the scheduler, and runs them all on the primary', async () => {
    const runWorkloadLoop = async (server: TestPostgres) => {
      const { config } = loadConfig({
        env: { PGG_TARGET_URL: server.url('postgres', 'pgg_monitor', MONITOR_PASSWORD) },
      });
      const log = pino({ level: 'silent' });
      const [target] = config.targets;
      if (!target) throw new Error('PGG_TARGET_URL made no target');
      const monitor = new TargetMonitor(
        target,
        { probeIntervalMs: 60_000, initialMs: 1000, maxMs: 60_000 },
        log,
      );
      const latest = new LatestObservations();
      try {
        await monitor.start();
        expect(monitor.status()).toMatchObject({ state: 'up' });
        const runner = new LoopRunner(
          'workload',
          config.loops.workload,
          [replicationCollector, standbyCollector, subscriptionsCollector],
          monitor,
          {
            bus: new ObservationBus(log),
            latest,
            metrics: createCollectorMetrics(new Registry()),
            log,
            config,
          },
        );
        await runner.tick();
        return { status: runner.status(), latest, target: monitor.name };
      } finally {
        await monitor.stop();
      }
    };

    const onStandby = await runWorkloadLoop(standby);
    // No subscription worker runs on a standby (its pg_subscription is the primary's copy).
    expect(onStandby.status.collectors.map((c) => [c.name, c.state])).toEqual([
      ['replication', 'skipped'],
      ['replication_standby', 'ok'],
      ['subscriptions', 'skipped'],
    ]);
    expect(onStandby.status.consecutiveFailures).toBe(0);
    const standbySamples = onStandby.latest.get(onStandby.target, 'replication_standby')?.samples ?? [];
    expect(standbySamples).toEqual(
      expect.arrayContaining([
        { metric: 'pg_replication_is_standby', labels: {}, value: 1 },
        { metric: 'pg_wal_receiver_connected', labels: {}, value: 1 },
      ]),
    );
    expect(onStandby.latest.snapshot(onStandby.target, 'replication')?.snapshot.rows[0]).toMatchObject({
      object: 'standby',
    });

    // pg_monitor alone is enough on the primary: pg_stat_replication and the slots in full, and
    // the subscriptions (none here) without their connection strings.
    const onPrimary = await runWorkloadLoop(primary);
    expect(onPrimary.status.collectors.map((c) => [c.name, c.state])).toEqual([
      ['replication', 'ok'],
      ['replication_standby', 'ok'],
      ['subscriptions', 'ok'],
    ]);
    const primarySamples = onPrimary.latest.get(onPrimary.target, 'replication')?.samples ?? [];
    expect(
      primarySamples.filter((s) => s.metric === 'pg_replication_lag_bytes').map((s) => s.labels),
    ).toEqual(KINDS.map((kind) => ({ replica: REPLICA, kind })));
    expect(
      onPrimary.latest
        .snapshot(onPrimary.target, 'replication')
        ?.snapshot.rows.find((r) => r.object === 'replica'),
    ).toMatchObject({ name: REPLICA, state: 'streaming' });
  });
});
