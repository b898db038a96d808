import {
  derivePrimaryReplication,
  deriveStandby,
  lagSeconds,
  ReplicaRow,
  replicaLabels,
  SlotRow,
  StandbyRow,
} from './derive';

const replica = (overrides: Partial<ReplicaRow> = {}): ReplicaRow => ({
  application_name: 'replica1',
  state: 'streaming',
  sync_state: 'async',
  sync_priority: 0,
  client_addr: '10.0.0.2',
  slot_name: 'replica1_slot',
  backend_start_ms: 1_000,
  reply_time_ms: 2_000,
  sent_lag_bytes: 0,
  write_lag_bytes: 0,
  flush_lag_bytes: 0,
  replay_lag_bytes: 0,
  write_lag_seconds: null,
  flush_lag_seconds: null,
  replay_lag_seconds: null,
  ...overrides,
});

const slot = (overrides: Partial<SlotRow> = {}): SlotRow => ({
  slot_name: 'replica1_slot',
  slot_type: 'physical',
  database: null,
  plugin: null,
  temporary: false,
  active: true,
  wal_status: 'reserved',
  safe_wal_bytes: null,
  retained_wal_bytes: 0,
  inactive_since_ms: null,
  invalidation_reason: null,
  ...overrides,
});

const value = (
  samples: { metric: string; labels: Record<string, string>; value: number }[],
  metric: string,
  labels: Record<string, string> = {},
) =>
  samples.find((s) => s.metric === metric && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    ?.value;

describe('lagSeconds', () => {
  it('keeps a measured lag', () => expect(lagSeconds(1.5, 100)).toBe(1.5));
  it('reads an unmeasured lag as 0 only when nothing is outstanding', () => {
    expect(lagSeconds(null, 0)).toBe(0);
    expect(lagSeconds(null, 8192)).toBeUndefined();
    expect(lagSeconds(null, null)).toBeUndefined();
  });
});

describe('replicaLabels', () => {
  it('uses the application_name, sanitized, "unnamed" when empty', () => {
    expect(
      replicaLabels([
        { application_name: 'db-2\nx', client_addr: null },
        { application_name: '', client_addr: null },
      ]),
    ).toEqual(['db-2 x', 'unnamed']);
  });

  it('tells standbys left at the default name apart by address, then by a counter', () => {
    const labels = replicaLabels([
      { application_name: 'walreceiver', client_addr: '10.0.0.2' },
      { application_name: 'walreceiver', client_addr: '10.0.0.3' },
      { application_name: 'walreceiver', client_addr: '10.0.0.3' },
      { application_name: 'db-4', client_addr: '10.0.0.4' },
    ]);
    expect(labels).toEqual([
      'walreceiver@10.0.0.2',
      'walreceiver@10.0.0.3',
      'walreceiver@10.0.0.3#2',
      'db-4',
    ]);
  });
});

describe('derivePrimaryReplication', () => {
  it('exports lag by kind in bytes and seconds, sync flag and connected count', () => {
    const result = derivePrimaryReplication(
      [
        replica({
          write_lag_bytes: 10,
          flush_lag_bytes: 20,
          replay_lag_bytes: 30,
          write_lag_seconds: 0.1,
          flush_lag_seconds: 0.2,
          replay_lag_seconds: 0.3,
          sync_state: 'sync',
        }),
        replica({ application_name: 'replica2', sync_state: 'quorum' }),
        replica({ application_name: 'pg_basebackup', state: 'backup' }),
      ],
      [],
    );
    expect(value(result.samples, 'pg_replication_lag_bytes', { replica: 'replica1', kind: 'replay' })).toBe(
      30,
    );
    expect(value(result.samples, 'pg_replication_lag_seconds', { replica: 'replica1', kind: 'flush' })).toBe(
      0.2,
    );
    // Idle and caught up: NULL lag times read as 0.
    expect(value(result.samples, 'pg_replication_lag_seconds', { replica: 'replica2', kind: 'replay' })).toBe(
      0,
    );
    expect(value(result.samples, 'pg_replica_sync', { replica: 'replica1' })).toBe(1);
    expect(value(result.samples, 'pg_replica_sync', { replica: 'replica2' })).toBe(1);
    // A base backup is not a replica.
    expect(value(result.samples, 'pg_replicas_connected')).toBe(2);
    expect(result.samples.some((s) => s.labels.replica === 'pg_basebackup')).toBe(false);
  });

  it('exports no seconds for a kind with bytes outstanding but no measurement yet', () => {
    const result = derivePrimaryReplication(
      [replica({ replay_lag_bytes: 4096, replay_lag_seconds: null, sync_state: 'potential' })],
      [],
    );
    expect(
      value(result.samples, 'pg_replication_lag_seconds', { replica: 'replica1', kind: 'replay' }),
    ).toBeUndefined();
    expect(value(result.samples, 'pg_replication_lag_bytes', { replica: 'replica1', kind: 'replay' })).toBe(
      4096,
    );
    expect(value(result.samples, 'pg_replica_sync', { replica: 'replica1' })).toBe(0);
    expect(result.snapshots?.[0]?.rows[0]).toMatchObject({
      object: 'replica',
      replay_lag_seconds: null,
      replay_lag_bytes: 4096,
    });
  });

  it('exports slots: active flag, retained WAL, safe WAL only when limited', () => {
    const result = derivePrimaryReplication(
      [],
      [
        slot(),
        slot({
          slot_name: 'stale_slot',
          active: false,
          retained_wal_bytes: 5e9,
          safe_wal_bytes: 1e9,
          wal_status: 'extended',
        }),
      ],
    );
    expect(
      value(result.samples, 'pg_replication_slot_active', { slot_name: 'stale_slot', slot_type: 'physical' }),
    ).toBe(0);
    expect(value(result.samples, 'pg_replication_slot_active', { slot_name: 'replica1_slot' })).toBe(1);
    expect(value(result.samples, 'pg_replication_slot_retained_wal_bytes', { slot_name: 'stale_slot' })).toBe(
      5e9,
    );
    expect(value(result.samples, 'pg_replication_slot_safe_wal_bytes', { slot_name: 'stale_slot' })).toBe(
      1e9,
    );
    expect(
      value(result.samples, 'pg_replication_slot_safe_wal_bytes', { slot_name: 'replica1_slot' }),
    ).toBeUndefined();
    expect(value(result.samples, 'pg_replicas_connected')).toBe(0);
    expect(result.snapshots?.[0]?.rows.map((r) => [r.object, r.name, r.active])).toEqual([
      ['slot', 'replica1_slot', true],
      ['slot', 'stale_slot', false],
    ]);
  });
});

it("exports a logical slot's decoding counters, and none for a physical slot without them", () => {
  const decoding = {
    spill_txns: 2,
    spill_count: 40,
    spill_bytes: 3e6,
    stream_txns: 0,
    stream_count: 0,
    stream_bytes: 0,
    total_txns: 10,
    total_bytes: 5e6,
  };
  const result = derivePrimaryReplication(
    [],
    [slot(), slot({ slot_name: 'cdc', slot_type: 'logical', plugin: 'pgoutput', ...decoding })],
  );
  expect(value(result.samples, 'pg_replication_slot_spill_bytes_total', { slot_name: 'cdc' })).toBe(3e6);
  expect(value(result.samples, 'pg_replication_slot_spill_count_total', { slot_name: 'cdc' })).toBe(40);
  expect(value(result.samples, 'pg_replication_slot_decoded_bytes_total', { slot_name: 'cdc' })).toBe(5e6);
  expect(value(result.samples, 'pg_replication_slot_stream_txns_total', { slot_name: 'cdc' })).toBe(0);
  expect(
    result.samples.filter((s) => s.metric.endsWith('_total') && s.labels.slot_name === 'replica1_slot'),
  ).toEqual([]);
  const rows = result.snapshots?.[0]?.rows ?? [];
  expect(rows.find((r) => r.name === 'cdc')).toMatchObject(decoding);
  expect(rows.find((r) => r.name === 'replica1_slot')).toMatchObject({ spill_bytes: null, total_txns: null });
});

describe('deriveStandby', () => {
  const standby = (overrides: Partial<StandbyRow> = {}): StandbyRow => ({
    in_recovery: true,
    replay_pause_state: 'not paused',
    receive_lsn: '0/3000000',
    replay_lsn: '0/3000000',
    receive_replay_lag_bytes: 0,
    replay_lag_seconds: 0,
    last_replay_ms: 1_000,
    receiver_status: 'streaming',
    receiver_slot_name: 'replica1_slot',
    sender_host: '10.0.0.1',
    sender_port: 5432,
    received_tli: 1,
    last_msg_receipt_ms: 2_000,
    latest_end_ms: 2_000,
    ...overrides,
  });

  it('says only "not a standby" on a primary, without a snapshot', () => {
    const result = deriveStandby(standby({ in_recovery: false }));
    expect(result.samples).toEqual([{ metric: 'pg_replication_is_standby', labels: {}, value: 0 }]);
    expect(result.snapshots).toEqual([]);
  });

  it('reports replay lag, pause and receiver state on a standby', () => {
    const result = deriveStandby(
      standby({
        replay_pause_state: 'paused',
        receive_replay_lag_bytes: 8192,
        replay_lag_seconds: 3.5,
        receiver_status: 'waiting',
      }),
    );
    expect(value(result.samples, 'pg_replication_is_standby')).toBe(1);
    expect(value(result.samples, 'pg_standby_replay_lag_seconds')).toBe(3.5);
    expect(value(result.samples, 'pg_standby_receive_replay_lag_bytes')).toBe(8192);
    expect(value(result.samples, 'pg_standby_replay_paused')).toBe(1);
    expect(value(result.samples, 'pg_wal_receiver_connected')).toBe(0);
    expect(result.snapshots?.[0]?.rows[0]).toMatchObject({
      object: 'standby',
      state: 'waiting',
      slot_name: 'replica1_slot',
    });
  });

  it('leaves the replay lag out when unknown (archive recovery before the first replayed commit)', () => {
    const result = deriveStandby(
      standby({
        receive_lsn: null,
        receive_replay_lag_bytes: null,
        replay_lag_seconds: null,
        receiver_status: null,
      }),
    );
    expect(value(result.samples, 'pg_standby_replay_lag_seconds')).toBeUndefined();
    expect(value(result.samples, 'pg_standby_receive_replay_lag_bytes')).toBeUndefined();
    expect(value(result.samples, 'pg_wal_receiver_connected')).toBe(0);
  });
});
