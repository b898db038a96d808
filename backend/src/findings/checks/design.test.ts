import { SnapshotRow } from '../../collectors/types';
import { withSuffix } from './design';
import { runCheck } from './testing/run-check';

const run = (kind: string, rows: Record<string, SnapshotRow[]>, params: Record<string, number> = {}) =>
  runCheck(kind, rows, { params });

const candidate = (overrides: SnapshotRow): SnapshotRow => ({
  datname: 'app',
  schemaname: 'public',
  relname: 'orders',
  indexrelname: 'orders_cancelled_at',
  column_name: 'cancelled_at',
  reltuples: 200_000,
  size_bytes: 4_000_000,
  null_frac: 0.9,
  statistics: 'visible',
  ...overrides,
});

describe('design checks', () => {
  it('nested_view: views deeper than max_depth, one finding each', () => {
    const view = (name: string, depth: number): SnapshotRow => ({
      datname: 'app',
      schemaname: 'public',
      view_name: name,
      depth,
      built_on: 'public.below',
    });
    const findings = run('nested_view', { nested_views: [view('v5', 5), view('v4', 4), view('v3', 3)] });
    expect(findings.map((f) => [f.object.name, f.severity])).toEqual([
      ['public.v5', 'info'],
      ['public.v4', 'info'],
    ]);
    expect(run('nested_view', { nested_views: [view('v3', 3)] }, { max_depth: 2 })).toHaveLength(1);
  });

  it('partial_index_candidate: mostly NULL columns of big tables; hidden statistics are not applicable', () => {
    const findings = run('partial_index_candidate', {
      partial_index_candidates: [
        candidate({}),
        candidate({ indexrelname: 'hidden', null_frac: null, statistics: 'hidden' }),
        candidate({ indexrelname: 'missing', null_frac: null, statistics: 'missing' }),
        candidate({ indexrelname: 'small', reltuples: 50_000 }),
        candidate({ indexrelname: 'dense', null_frac: 0.4 }),
      ],
    });
    expect(findings.map((f) => f.object.name)).toEqual(['public.orders_cancelled_at']);
    expect(findings[0]?.remediation.statements).toEqual([
      'CREATE INDEX CONCURRENTLY orders_cancelled_at_partial ON public.orders (cancelled_at) WHERE cancelled_at IS NOT NULL;',
      'DROP INDEX CONCURRENTLY public.orders_cancelled_at;',
      'ALTER INDEX public.orders_cancelled_at_partial RENAME TO orders_cancelled_at;',
    ]);
  });

  it('partial_index_candidate: quotes every name, whatever it holds', () => {
    const [finding] = run('partial_index_candidate', {
      partial_index_candidates: [
        candidate({
          schemaname: 'My Schema',
          relname: 'a; drop table x',
          indexrelname: 'Idx"',
          column_name: 'user',
        }),
      ],
    });
    expect(finding?.remediation.statements).toEqual([
      'CREATE INDEX CONCURRENTLY "Idx""_partial" ON "My Schema"."a; drop table x" ("user") WHERE "user" IS NOT NULL;',
      'DROP INDEX CONCURRENTLY "My Schema"."Idx""";',
      'ALTER INDEX "My Schema"."Idx""_partial" RENAME TO "Idx""";',
    ]);
  });

  it('withSuffix: stays within the 63 bytes PostgreSQL keeps, cut on a character boundary', () => {
    expect(withSuffix('short', '_partial')).toBe('short_partial');
    const long = 'i'.repeat(63);
    expect(withSuffix(long, '_partial')).toBe(`${'i'.repeat(55)}_partial`);
    const wide = 'é'.repeat(40); // 80 bytes
    const named = withSuffix(wide, '_partial');
    expect(Buffer.byteLength(named)).toBeLessThanOrEqual(63);
    expect(named).toBe(`${'é'.repeat(27)}_partial`);
  });
});
