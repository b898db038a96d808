import { FINDING_KINDS } from '../../catalog/findings';
import { SnapshotRow } from '../../collectors/types';
import { CHECKS } from '.';
import { runCheck } from './testing/run-check';

const run = (kind: string, snapshots: Record<string, SnapshotRow[]>, params: Record<string, number> = {}) =>
  runCheck(kind, snapshots, { params });

describe('checks', () => {
  it('exist for exactly the catalog kinds', () => {
    expect(Object.keys(CHECKS).sort()).toEqual(FINDING_KINDS.map((k) => k.id).sort());
  });

  it('find nothing in empty input', () => {
    for (const kind of FINDING_KINDS) expect(run(kind.id, {})).toEqual([]);
  });

  it('xmin_horizon: one finding per holder kind, named after the oldest holder past a threshold', () => {
    const holder = (
      kind: string,
      holder: string,
      age: number,
      seconds: number | null = null,
    ): SnapshotRow => ({
      holder_kind: kind,
      holder,
      age_transactions: age,
      age_seconds: seconds,
      xmin: '1234',
      active: kind.startsWith('replication') ? false : null,
    });
    const findings = run('xmin_horizon', {
      xmin_horizon: [
        holder('session', '10', 20_000_000),
        holder('session', '11', 150_000_000),
        holder('session', '12', 5),
        holder('prepared_transaction', "it's", 3, 120),
        holder('replication_slot', 'old_standby', 5_000_000),
      ],
    });
    expect(findings.map((f) => [f.key, f.severity, f.object.name])).toEqual([
      ['session', 'critical', 'pid 11'],
      ['prepared_transaction', 'warning', "it's"],
    ]);
    expect(findings[0]?.evidence).toHaveLength(2);
    expect(findings[1]?.remediation.statements).toEqual([
      "COMMIT PREPARED 'it''s';",
      "ROLLBACK PREPARED 'it''s';",
    ]);
  });

  it('quote every identifier they put in a statement', () => {
    const name = '"a; drop table x"';
    const [dead] = run('dead_tuples', {
      vacuum: [
        {
          schemaname: 'public',
          relname: name,
          dead_tuples: 200_000,
          dead_percent: 50,
          since_vacuum_seconds: null,
        },
      ],
    });
    expect(dead?.remediation.statements).toEqual(['VACUUM (VERBOSE, ANALYZE) public."""a; drop table x""";']);
    const [trigger] = run('disabled_trigger', {
      schema_health: [
        {
          problem: 'disabled_trigger',
          schemaname: 'My Schema',
          relname: name,
          object_name: 'user',
          is_internal: false,
        },
      ],
    });
    expect(trigger?.remediation.statements).toEqual([
      'ALTER TABLE "My Schema"."""a; drop table x""" ENABLE TRIGGER "user";',
    ]);
  });

  it('sessions: re-check the backend before signalling it', () => {
    const [idle] = run('idle_in_transaction', {
      sessions: [
        {
          pid: 42,
          backend_start_us: '1700000000123456',
          backend_type: 'client backend',
          state: 'idle in transaction',
          state_seconds: 1000,
          usename: 'app',
        },
      ],
    });
    expect(idle?.severity).toBe('critical');
    expect(idle?.remediation.statements[0]).toBe(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = 42 AND (extract(epoch FROM backend_start) * 1000000)::bigint = 1700000000123456;',
    );
  });

  it('sequence_exhaustion: widens the integer column that limits a bigint sequence', () => {
    const [finding] = run('sequence_exhaustion', {
      sequences: [
        {
          schemaname: 'public',
          sequencename: 'orders_id_seq',
          data_type: 'bigint',
          owned_by: 'public.orders.id',
          table_schema: 'public',
          table_name: 'orders',
          column_name: 'id',
          column_type: 'integer',
          used_ratio: 0.9,
          calls_left: 100,
          limit_value: 2147483647,
        },
      ],
    });
    expect(finding?.severity).toBe('warning');
    expect(finding?.remediation.statements).toEqual([
      'ALTER TABLE public.orders ALTER COLUMN id TYPE bigint;',
    ]);
  });

  it('index_bloat: above the bytes and the share, an applicable estimate, rebuilt concurrently', () => {
    const GIB = 1024 ** 3;
    const index = (name: string, bloat: number, ratio: number, applicable = true): SnapshotRow => ({
      datname: 'app',
      schemaname: 'My Schema',
      relname: 'orders',
      indexrelname: name,
      index_bytes: bloat / ratio,
      expected_bytes: bloat / ratio - bloat,
      bloat_bytes: applicable ? bloat : null,
      bloat_ratio: applicable ? ratio : null,
      fillfactor: 90,
      estimate_applicable: applicable,
    });
    const findings = run('index_bloat', {
      index_bloat: [
        index('"a; drop table x"', 6 * GIB, 0.6),
        index('warn_idx', 2 * GIB, 0.5),
        // Random keys: a fifth "bloat" is the b-tree's natural fill, not a finding.
        index('natural_fill_idx', 2 * GIB, 0.22),
        index('small_idx', 100 * 1024 ** 2, 0.9),
        index('hidden_idx', 1, 1, false),
      ],
    });
    expect(findings.map((f) => [f.severity, f.object])).toEqual([
      ['critical', { type: 'index', name: 'My Schema."a; drop table x"', database: 'app' }],
      ['warning', { type: 'index', name: 'My Schema.warn_idx', database: 'app' }],
    ]);
    expect(findings[0]?.remediation.statements).toEqual([
      'REINDEX INDEX CONCURRENTLY "My Schema"."""a; drop table x""";',
    ]);
    expect(findings[1]?.title).toBe('Index My Schema.warn_idx: about 2.0 GB of bloat (50 %)');
    expect(
      run('index_bloat', { index_bloat: [index('warn_idx', 2 * GIB, 0.5)] }, { min_ratio: 0.6 }),
    ).toEqual([]);
  });
});
