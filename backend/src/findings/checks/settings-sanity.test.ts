import { SnapshotRow } from '../../collectors/types';
import { runCheck } from './testing/run-check';

const setting = (
  name: string,
  value: string,
  over: Partial<Record<'source' | 'context' | 'unit', string>> = {},
): SnapshotRow => ({
  name,
  setting: value,
  unit: over.unit ?? null,
  vartype: 'bool',
  context: over.context ?? 'sighup',
  source: over.source ?? 'configuration file',
  pending_restart: false,
});

const run = (rows: SnapshotRow[], params: Record<string, number> = {}) =>
  runCheck('settings_sanity', { settings: rows }, { params });

describe('settings_sanity', () => {
  it('flags each unsafe server-wide setting with its own severity', () => {
    const findings = run([
      setting('fsync', 'off'),
      setting('full_page_writes', 'off'),
      setting('synchronous_commit', 'off', { context: 'user' }),
      setting('enable_seqscan', 'off', { context: 'user' }),
      setting('autovacuum', 'on'),
      setting('track_counts', 'off', { context: 'superuser' }),
      setting('session_replication_role', 'replica', { context: 'superuser' }),
      setting('data_checksums', 'off', { context: 'internal', source: 'default' }),
    ]);
    expect(findings.map((f) => [f.object.name, f.severity])).toEqual([
      ['fsync', 'critical'],
      ['full_page_writes', 'warning'],
      ['synchronous_commit', 'info'],
      ['enable_seqscan', 'warning'],
      ['track_counts', 'warning'],
      ['session_replication_role', 'critical'],
      ['data_checksums', 'info'],
    ]);
    expect(findings[0]).toMatchObject({
      object: { type: 'setting', name: 'fsync' },
      title: 'fsync = off',
      remediation: { statements: ["ALTER SYSTEM SET fsync = 'on';", 'SELECT pg_reload_conf();'] },
    });
    expect(findings.find((f) => f.object.name === 'data_checksums')?.remediation.statements).toEqual([]);
  });

  it('tells a command-line value apart: ALTER SYSTEM would not win over it', () => {
    const [fsync] = run([setting('fsync', 'off', { source: 'command line' })]);
    expect(fsync?.remediation.statements).toEqual([]);
    expect(fsync?.remediation.steps[0]).toMatch(/command line/);
  });

  it('ignores values of one role, database or session, and planner methods off by default', () => {
    expect(
      run([
        setting('enable_hashjoin', 'off', { source: 'user' }),
        setting('enable_nestloop', 'off', { source: 'database' }),
        setting('synchronous_commit', 'off', { source: 'session' }),
        setting('enable_partitionwise_join', 'off', { source: 'default' }),
        setting('enable_partitionwise_aggregate', 'off'),
        setting('enable_indexscan', 'on'),
      ]),
    ).toEqual([]);
  });

  it('flags shared_buffers below its floor, with a restart rather than a reload', () => {
    const tiny = setting('shared_buffers', '1024', { unit: '8kB', context: 'postmaster' });
    const [finding] = run([tiny]);
    expect(finding).toMatchObject({ severity: 'warning', title: 'shared_buffers is 8.0 MB, below 128.0 MB' });
    expect(finding?.remediation.statements).toEqual(["ALTER SYSTEM SET shared_buffers = '128MB';"]);
    expect(finding?.remediation.steps.join(' ')).toMatch(/restart/);
    expect(run([setting('shared_buffers', '16384', { unit: '8kB', context: 'postmaster' })])).toEqual([]);
    expect(run([tiny], { min_shared_buffers_bytes: 0 })).toEqual([]);
  });
});
