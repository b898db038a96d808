/* global console */
// The history-store benchmark's data set: 500 series of one target (50 catalog metrics with labels,
// 10 label sets each) at 15 s, loaded server-side (INSERT ... SELECT generate_series) into the real
// samples table, in the order the writer fills it: time-major, every series of a 15 s tick together.
import { ALL_COLLECTORS, sqlFile } from './dist.mjs';
import { dist } from './server.mjs';

const { ensurePartitions, utcDay, DAY_MS } = await import(dist('store/partitions.js'));

export const TARGET = 'bench';
export const STEP_S = 15;
const METRICS = 50;
const SERIES_PER_METRIC = 10;
/** Rows per INSERT: 6 hours of every series (720,000 rows at 500 series). */
const CHUNK_MS = 6 * 3_600_000;

/**
 * 50 catalog metrics that have labels, in catalog order (activity gauges, statement counters and
 * gauges, relation gauges...), each with 10 label sets: `<label>_<k>` for k = 0..9.
 */
export function seriesLayout() {
  const metrics = ALL_COLLECTORS.flatMap((c) => c.metrics)
    .filter((m, i, all) => m.labels.length > 0 && all.findIndex((o) => o.name === m.name) === i)
    .slice(0, METRICS);
  if (metrics.length < METRICS) throw new Error(`only ${metrics.length} catalog metrics have labels`);
  const series = metrics.flatMap((metric) =>
    Array.from({ length: SERIES_PER_METRIC }, (_, k) => ({
      metric: metric.name,
      type: metric.type,
      labels: Object.fromEntries(metric.labels.map((label) => [label, `${label}_${k}`])),
    })),
  );
  return { metrics, series };
}

/**
 * Creates the series through the writer's own upsert (sql/store/queries/upsert-series.sql) and
 * returns them with their store ids.
 */
export async function createSeries(db, series) {
  const json = JSON.stringify(series.map((s) => ({ target: TARGET, metric: s.metric, labels: s.labels })));
  const { rows } = await db.query(sqlFile('store/queries/upsert-series.sql'), [json]);
  const canonical = (metric, labels) => `${metric} ${JSON.stringify(Object.entries(labels).sort())}`;
  const ids = new Map(rows.map((r) => [canonical(r.metric, r.labels), r.id]));
  return series.map((s) => {
    const id = ids.get(canonical(s.metric, s.labels));
    if (id === undefined) throw new Error(`series ${s.metric} ${JSON.stringify(s.labels)} got no id`);
    return { ...s, id };
  });
}

/**
 * Fills [from, to) at 15 s for every series: gauges a daily-ish wave with noise, counters
 * increasing steadily. Chunks of 6 hours, `workers` connections at a time, time-major order
 * inside each chunk. Returns the rows inserted.
 */
export async function loadSamples(pool, series, { from, to, workers = 2, log = console.error }) {
  const days = [];
  for (let day = Math.floor(from / DAY_MS) * DAY_MS; day < to; day += DAY_MS) days.push(utcDay(day));
  await ensurePartitions(pool, 'samples', days);
  const ids = `{${series.map((s) => s.id).join(',')}}`;
  const counters = `{${series.map((s) => s.type === 'counter').join(',')}}`;
  const chunks = [];
  for (let start = from; start < to; start += CHUNK_MS) chunks.push([start, Math.min(to, start + CHUNK_MS)]);
  let rows = 0;
  let done = 0;
  const worker = async () => {
    for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
      const [start, end] = chunk;
      const result = await pool.query(
        `INSERT INTO samples (series_id, ts, value)
         SELECT s.id, t,
                CASE WHEN s.counter THEN (extract(epoch FROM t) - $5::float8) * (1 + s.id % 7)
                     ELSE 50 + 40 * sin(extract(epoch FROM t) / 3600 + s.id) + random() END
         FROM generate_series($1::timestamptz, $2::timestamptz - make_interval(secs => $6), make_interval(secs => $6)) AS t
         CROSS JOIN unnest($3::integer[], $4::boolean[]) AS s(id, counter)
         ORDER BY t, s.id`,
        [new Date(start).toISOString(), new Date(end).toISOString(), ids, counters, from / 1000, STEP_S],
      );
      rows += result.rowCount;
      if (++done % 20 === 0) log(`  ${done} chunks of 6 h loaded (${(rows / 1e6).toFixed(1)} M rows)`);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return rows;
}
