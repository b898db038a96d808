import { and, arithmetic, filter, maxBy, metric, rangeCall } from './ast';
import { AlertDefinition, FixtureCase, FixtureContext } from './types';
import { TEMP_FILES_BY_DATABASE } from '../findings/guide-checks';
import { MIB, NO_DATA, sql, T } from './helpers';

/**
 * A write rate far above its own baseline: (recent average - baseline average) / baseline standard
 * deviation, in standard deviations (a z-score), over a long baseline window. A floor keeps an idle
 * server's jump from nothing to little from counting as a surge.
 */
function surgeValue(metricName: string, p: Record<string, number>) {
  const series = metric(metricName);
  const recent = maxBy(['target'], rangeCall('avg_over_time', series, p.recent_window_s as number));
  const baseline = maxBy(['target'], rangeCall('avg_over_time', series, p.baseline_window_s as number));
  const spread = maxBy(['target'], rangeCall('stddev_over_time', series, p.baseline_window_s as number));
  return and(
    arithmetic('/', arithmetic('-', recent, baseline, ['target']), spread, ['target']),
    filter(recent, '>=', p.floor_bytes_per_second as number),
    ['target'],
  );
}

/**
 * The z-score at a minute of a one-sample-per-minute series, as the rule computes it (Prometheus'
 * range selectors include both ends; stddev_over_time is the population deviation).
 */
function zScoreAt(values: number[], minute: number, recentMinutes: number, baselineMinutes: number): number {
  const window = (minutes: number) => values.slice(Math.max(0, minute - minutes), minute + 1);
  const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / list.length;
  const baseline = window(baselineMinutes);
  const baselineMean = mean(baseline);
  const spread = Math.sqrt(mean(baseline.map((v) => (v - baselineMean) ** 2)));
  return (mean(window(recentMinutes)) - baselineMean) / spread;
}

/**
 * The level after a ramp (2 to 4 times the floor) whose highest z-score over the following minutes is
 * `target`: found by bisection, since the rise itself enters the baseline.
 */
function levelForZScore(
  ramp: number[],
  after: number,
  target: number,
  windows: { recentMinutes: number; baselineMinutes: number },
): number {
  const peak = (level: number) => {
    const values = [...ramp, ...Array<number>(after + 1).fill(level)];
    let z = -Infinity;
    for (let m = ramp.length; m < values.length; m++)
      z = Math.max(z, zScoreAt(values, m, windows.recentMinutes, windows.baselineMinutes));
    return z;
  };
  let [low, high] = [ramp[ramp.length - 1] as number, 1000 * (ramp[ramp.length - 1] as number)];
  for (let i = 0; i < 100; i++) {
    const middle = (low + high) / 2;
    if (peak(middle) < target) low = middle;
    else high = middle;
  }
  return low;
}

/**
 * Steady hours at twice the floor, then a jump to twenty times it; a steady rate; a rise that peaks
 * at 90 % of the threshold (a fifth lower and it would fire: test/alerts/promtool.test.ts moves the
 * threshold to prove it); a jump that stays under the floor. The baseline need not fill its window (the statistics are over the samples
 * there are): 8 hours keep a one-minute jump above 3 standard deviations, and keep promtool fast.
 */
function surgeCases(metricName: string) {
  return ({ params, levels }: FixtureContext): FixtureCase[] => {
    const floor = params.floor_bytes_per_second as number;
    const windowMinutes = (params.baseline_window_s as number) / 60;
    const baselineMinutes = Math.min(windowMinutes, 480);
    const quietMinutes = Math.min(windowMinutes, 30);
    const forMinutes = Math.ceil((levels.warning?.for_s ?? 0) / 60);
    const after = forMinutes + 5;
    const threshold = levels.warning?.threshold ?? 0;
    const rampStep = (2 * floor) / Math.max(1, baselineMinutes - 1);
    const ramp = Array.from({ length: baselineMinutes }, (_, i) => 2 * floor + rampStep * i);
    const nearLevel = levelForZScore(ramp, after, 0.9 * threshold, {
      recentMinutes: (params.recent_window_s as number) / 60,
      baselineMinutes: windowMinutes,
    });
    return [
      {
        name: 'a surge twenty times the floor after a steady day',
        instance: T,
        series: [
          {
            metric: metricName,
            labels: T,
            segments: [
              { value: 2 * floor, count: baselineMinutes },
              { value: 20 * floor, count: after + 1 },
            ],
          },
        ],
        checks: [
          ...(forMinutes > 0 ? [{ atMinute: baselineMinutes + forMinutes - 1, firing: [] }] : []),
          { atMinute: baselineMinutes + forMinutes, firing: ['warning'] },
        ],
      },
      {
        name: 'a steady rate',
        instance: T,
        series: [
          {
            metric: metricName,
            labels: T,
            segments: [{ value: 2 * floor, count: quietMinutes + after + 1 }],
          },
        ],
        checks: [{ atMinute: quietMinutes + after, firing: [] }],
      },
      {
        name: 'a rise peaking just short of the threshold',
        instance: T,
        series: [
          {
            metric: metricName,
            labels: T,
            segments: [
              { value: 2 * floor, step: rampStep, count: baselineMinutes },
              { value: nearLevel, count: after + 1 },
            ],
          },
        ],
        checks: [{ atMinute: baselineMinutes + after, firing: [] }],
      },
      {
        name: 'a jump that stays under the floor',
        instance: T,
        series: [
          {
            metric: metricName,
            labels: T,
            segments: [
              { value: 0, count: quietMinutes },
              { value: floor / 2, count: after + 1 },
            ],
          },
        ],
        checks: [{ atMinute: quietMinutes + after, firing: [] }],
      },
    ];
  };
}

export const SURGE_ALERTS: AlertDefinition[] = [
  {
    id: 'wal_surge',
    name: 'PgWalSurge',
    category: 'wal',
    component: 'postgresql',
    summary: 'WAL generation on {{label.target}} is {{value}} standard deviations above its baseline',
    description:
      'WAL bytes per second over the last minutes are {{value}} standard deviations above the baseline average (threshold {{threshold}}). WAL volume drives replication lag, archive and backup size, and checkpoints.',
    runbook: {
      meaning:
        'The server writes far more WAL than usual: replicas fall behind, archives and backups grow, checkpoints come sooner, and pg_wal can fill its disk if a slot or the archiver cannot keep up.',
      checks: [
        {
          what: 'The statements that wrote the most WAL (pg_stat_statements).',
          sql: sql`
            SELECT queryid, calls, rows, pg_size_pretty(wal_bytes) AS wal, wal_fpi, left(query, 120) AS query
            FROM pg_stat_statements
            ORDER BY wal_bytes DESC
            LIMIT 10;`,
        },
        {
          what: 'What is running now: bulk loads, index builds, migrations.',
          sql: sql`
            SELECT pid, usename, application_name, now() - query_start AS running, left(query, 200) AS query
            FROM pg_stat_activity
            WHERE state = 'active' AND backend_type = 'client backend'
            ORDER BY query_start
            LIMIT 10;`,
        },
        {
          what: 'WAL kept by replication slots (an inactive slot makes it pile up).',
          sql: sql`
            SELECT slot_name, active, wal_status,
                   pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)) AS retained
            FROM pg_replication_slots;`,
        },
      ],
      remediation: [
        'Expected work (a migration, a bulk load): watch replication lag and pg_wal disk use until it ends.',
        'Unexpected: throttle or batch the writer, and spread index builds; wal_compression = on reduces full-page-image volume.',
      ],
    },
    noData: NO_DATA.onlyWhileWrong,
    unit: 'number',
    comparator: '>=',
    levels: { warning: { threshold: 3, for_s: 600 } },
    params: { recent_window_s: 300, baseline_window_s: 86_400, floor_bytes_per_second: 5 * MIB },
    instanceLabels: ['target'],
    value: (p) => surgeValue('pg_wal_bytes_per_second', p),
    fixtures: { kind: 'custom', cases: surgeCases('pg_wal_bytes_per_second') },
  },
  {
    id: 'temp_surge',
    name: 'PgTempFileSurge',
    category: 'io',
    component: 'postgresql',
    summary:
      'Temporary file writes on {{label.target}} are {{value}} standard deviations above their baseline',
    description:
      'Bytes written to temporary files per second over the last minutes are {{value}} standard deviations above the baseline average (threshold {{threshold}}): sorts and hashes are spilling to disk.',
    runbook: {
      meaning:
        'Sorts and hashes are spilling to temporary files far more than usual: the queries doing it run slower, and temp files compete for disk space and I/O.',
      checks: [
        {
          what: 'The statements that wrote the most temporary blocks (pg_stat_statements).',
          sql: sql`
            SELECT queryid, calls,
                   pg_size_pretty(temp_blks_written * current_setting('block_size')::bigint) AS temp_written,
                   left(query, 120) AS query
            FROM pg_stat_statements
            ORDER BY temp_blks_written DESC
            LIMIT 10;`,
        },
        { ...TEMP_FILES_BY_DATABASE, what: 'Temporary files by database since the statistics reset.' },
        {
          what: 'The memory a sort or hash may use before it spills, and the limits.',
          sql: sql`
            SELECT name, setting, unit
            FROM pg_settings
            WHERE name IN ('work_mem', 'hash_mem_multiplier', 'log_temp_files', 'temp_file_limit');`,
        },
      ],
      remediation: [
        'EXPLAIN (ANALYZE, BUFFERS) the top statements: a missing index or a bad estimate often causes the big sort or hash.',
        "Give the role that runs them more memory, not the whole server: `ALTER ROLE <reporting> SET work_mem = '256MB';` and `log_temp_files = '100MB'` names the statements in the log.",
      ],
    },
    noData: NO_DATA.onlyWhileWrong,
    unit: 'number',
    comparator: '>=',
    levels: { warning: { threshold: 3, for_s: 600 } },
    params: { recent_window_s: 300, baseline_window_s: 86_400, floor_bytes_per_second: 10 * MIB },
    // Its rate per second is not on a dashboard; the temporary bytes by database are.
    shownBy: ['pg_database_temp_bytes_total'],
    instanceLabels: ['target'],
    value: (p) => surgeValue('pg_temp_bytes_per_second', p),
    fixtures: { kind: 'custom', cases: surgeCases('pg_temp_bytes_per_second') },
  },
];
