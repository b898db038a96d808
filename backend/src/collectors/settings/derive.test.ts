import { deriveSettings, SettingRow, settingsMemory } from './derive';

const row = (name: string, setting: string, overrides: Partial<SettingRow> = {}): SettingRow => ({
  name,
  setting,
  unit: null,
  vartype: 'integer',
  context: 'user',
  source: 'configuration file',
  pending_restart: false,
  can_read_file_settings: true,
  ...overrides,
});

const baseline = () => [
  row('work_mem', '4096', { unit: 'kB' }),
  row('shared_buffers', '16384', { unit: '8kB', context: 'postmaster' }),
  row('max_connections', '100', { source: 'command line' }),
  row('statement_timeout', '5000', { unit: 'ms', source: 'session' }),
];

const value = (
  samples: { metric: string; labels: Record<string, string>; value: number }[],
  metric: string,
  labels: Record<string, string> = {},
) =>
  samples.find((s) => s.metric === metric && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    ?.value;

describe('deriveSettings', () => {
  it('takes the first cycle as the baseline: no drift', () => {
    const memory = settingsMemory(new Map());
    const result = deriveSettings(baseline(), undefined, memory, 1_000);
    expect(value(result.samples, 'pg_settings_changed_total')).toBe(0);
    expect(value(result.samples, 'pg_settings_pending_restart')).toBe(0);
    expect(result.snapshots?.find((s) => s.kind === 'settings_drift')?.rows).toEqual([]);
    expect(result.snapshots?.find((s) => s.kind === 'settings')?.rows).toHaveLength(4);
    expect(result.events).toEqual([]);
  });

  it('detects a changed value between cycles and keeps counting across cycles', () => {
    const state = new Map();
    deriveSettings(baseline(), undefined, settingsMemory(state), 1_000);
    const second = baseline().map((r) => (r.name === 'work_mem' ? { ...r, setting: '8192' } : r));
    const result = deriveSettings(second, undefined, settingsMemory(state), 2_000);
    expect(value(result.samples, 'pg_settings_changed_total')).toBe(1);
    expect(result.snapshots?.find((s) => s.kind === 'settings_drift')?.rows).toEqual([
      {
        name: 'work_mem',
        change: 'changed',
        old: '4096',
        new: '8192',
        unit: 'kB',
        source: 'configuration file',
        detected_at: 2_000,
      },
    ]);
    expect(result.events).toEqual([
      {
        kind: 'settings_drift',
        severity: 'info',
        title: 'PostgreSQL setting work_mem changed: 4096 kB -> 8192 kB',
        text: 'PostgreSQL setting work_mem was 4096 kB and is now 8192 kB (source: configuration file).',
        tags: ['postgresql', 'work_mem'],
        data: {
          owner: 'PostgreSQL',
          name: 'work_mem',
          old: '4096',
          new: '8192',
          unit: 'kB',
          source: 'configuration file',
        },
      },
    ]);
    // Back to the old value: a second change; the counter never goes down.
    const third = deriveSettings(baseline(), undefined, settingsMemory(state), 3_000);
    expect(value(third.samples, 'pg_settings_changed_total')).toBe(2);
    expect(
      third.snapshots
        ?.find((s) => s.kind === 'settings_drift')
        ?.rows.map((r) => [r.old, r.new, r.detected_at]),
    ).toEqual([
      ['8192', '4096', 3_000],
      ['4096', '8192', 2_000],
    ]);
  });

  it('ignores values of the collector session itself', () => {
    const state = new Map();
    deriveSettings(baseline(), undefined, settingsMemory(state), 1_000);
    const second = baseline().map((r) => (r.name === 'statement_timeout' ? { ...r, setting: '3000' } : r));
    expect(
      value(
        deriveSettings(second, undefined, settingsMemory(state), 2_000).samples,
        'pg_settings_changed_total',
      ),
    ).toBe(0);
    expect(deriveSettings(second, undefined, settingsMemory(state), 3_000).events).toEqual([]);
  });

  it('lists settings pending a restart with the value waiting in the files, since first seen', () => {
    const state = new Map();
    const pending = baseline().map((r) =>
      r.name === 'shared_buffers' ? { ...r, pending_restart: true } : r,
    );
    deriveSettings(pending, new Map([['shared_buffers', '256MB']]), settingsMemory(state), 1_000);
    const result = deriveSettings(
      pending,
      new Map([['shared_buffers', '256MB']]),
      settingsMemory(state),
      2_000,
    );
    expect(value(result.samples, 'pg_settings_pending_restart')).toBe(1);
    expect(result.snapshots?.find((s) => s.kind === 'settings_drift')?.rows).toEqual([
      {
        name: 'shared_buffers',
        change: 'pending_restart',
        old: '16384',
        new: '256MB',
        unit: '8kB',
        source: 'configuration file',
        detected_at: 1_000,
      },
    ]);
    // Without access to pg_file_settings the new value is unknown, not guessed.
    const unreadable = deriveSettings(pending, undefined, settingsMemory(state), 3_000);
    expect(unreadable.snapshots?.find((s) => s.kind === 'settings_drift')?.rows[0]?.new).toBeNull();
  });

  it('does not count a command-line setting as pending: the command line wins at the restart too', () => {
    const rows = baseline().map((r) => (r.name === 'max_connections' ? { ...r, pending_restart: true } : r));
    const result = deriveSettings(
      rows,
      new Map([['max_connections', '100']]),
      settingsMemory(new Map()),
      1_000,
    );
    expect(value(result.samples, 'pg_settings_pending_restart')).toBe(0);
    expect(result.snapshots?.find((s) => s.kind === 'settings_drift')?.rows).toEqual([]);
  });

  it('exports allow-listed numeric settings in base units, labelled by name only', () => {
    const result = deriveSettings(
      [...baseline(), row('search_path', '"$user", public', { vartype: 'string' })],
      undefined,
      settingsMemory(new Map()),
      1_000,
    );
    expect(value(result.samples, 'pg_setting', { name: 'work_mem' })).toBe(4096 * 1024);
    expect(value(result.samples, 'pg_setting', { name: 'shared_buffers' })).toBe(16384 * 8192);
    expect(value(result.samples, 'pg_setting', { name: 'max_connections' })).toBe(100);
    expect(value(result.samples, 'pg_setting', { name: 'statement_timeout' })).toBe(5);
    expect(
      result.samples
        .filter((s) => s.metric === 'pg_setting')
        .every((s) => Object.keys(s.labels).join() === 'name'),
    ).toBe(true);
    expect(value(result.samples, 'pg_setting', { name: 'search_path' })).toBeUndefined();
  });

  it('masks the replication password of primary_conninfo in every snapshot', () => {
    const state = new Map();
    const conninfo = (pw: string) =>
      row('primary_conninfo', `host=10.0.0.1 user=replicator password=${pw} application_name=db2`, {
        vartype: 'string',
        source: 'configuration file',
      });
    deriveSettings([conninfo('s3cret')], undefined, settingsMemory(state), 1_000);
    const result = deriveSettings([conninfo('n3w')], undefined, settingsMemory(state), 2_000);
    const text = JSON.stringify([result.snapshots, result.events]);
    expect(text).not.toMatch(/s3cret|n3w/);
    expect(result.events?.[0]?.title).toBe('PostgreSQL setting primary_conninfo changed (a masked secret)');
    expect(result.snapshots?.find((s) => s.kind === 'settings')?.rows[0]?.setting).toBe(
      'host=10.0.0.1 user=replicator password=******** application_name=db2',
    );
    // The change itself is still seen.
    expect(value(result.samples, 'pg_settings_changed_total')).toBe(1);
  });
});
