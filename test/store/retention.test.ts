import { Pool } from 'pg';
import { HistoryStore, openStore } from '../../backend/src/store';
import { applyRetention, DAY_MS, ensurePartitions, utcDay } from '../../backend/src/store/partitions';
import { startPostgres, TestPostgres } from '../support/postgres';
import { createDatabase, observation, poolFor, quietLog, registry, storeConfig } from './store-kit';

/**
 * Retention drops whole daily partitions past each kind's retention (samples 14 days, snapshots
 * 3, events 90 by default): old data goes, recent data stays, and series not written for longer
 * than samples are kept are forgotten.
 */
let pg: TestPostgres;
let store: HistoryStore;
let pool: Pool;

const NOW = Date.now();
const daysAgo = (days: number) => NOW - days * DAY_MS;
const RETENTION = { samples: 14, snapshots: 3, events: 90 };

beforeAll(async () => {
  pg = await startPostgres();
  const url = await createDatabase(pg, 'retention');
  store = await openStore(storeConfig(url), quietLog(), registry());
  pool = poolFor(url);
});
afterAll(async () => {
  await pool?.end();
  await store?.stop();
  await pg?.destroy();
});

async function partitions(table: string): Promise<string[]> {
  const { rows } = await pool.query(
    `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = $1::regclass ORDER BY c.relname`,
    [table],
  );
  return rows.map((r) => r.relname);
}

const partitionOf = (table: string, days: number) => `${table}_p${utcDay(daysAgo(days)).replaceAll('-', '')}`;

describe('history store retention', () => {
  it('drops the partitions past retention and keeps the recent data', async () => {
    // Partitions of old days, made by the maintenance function (the writer would make them too).
    for (const [table, days] of [
      ['samples', [20, 15, 13]],
      ['samples_1m', [20, 15, 13]],
      ['snapshots', [5, 2]],
      ['events', [100, 80]],
    ] as const) {
      await ensurePartitions(
        pool,
        table,
        days.map((d) => utcDay(daysAgo(d))),
      );
    }
    for (const days of [20, 15, 13, 0]) {
      store.writer.write(
        observation(
          'ret',
          daysAgo(days),
          [{ metric: 'pg_up', labels: { age: String(days) }, value: days }],
          [{ kind: 'sessions', rows: [{ age: days }] }],
        ),
      );
    }
    for (const days of [5, 2]) {
      store.writer.write(observation('ret', daysAgo(days), [], [{ kind: 'locks', rows: [{ age: days }] }]));
    }
    for (const days of [100, 80, 0]) {
      store.writer.writeEvent({
        time: daysAgo(days),
        target: 'ret',
        kind: 'alert',
        severity: 'info',
        title: `${days} days ago`,
        text: '',
        tags: [],
      });
    }
    await store.writer.flush();
    // A series nobody has written for longer than samples are kept.
    await pool.query(`UPDATE series SET seen_at = now() - interval '20 days' WHERE labels = '{"age": "20"}'`);

    const { droppedPartitions, forgottenSeries } = await applyRetention(pool, RETENTION, NOW);

    expect(droppedPartitions.sort()).toEqual(
      [
        partitionOf('samples', 20),
        partitionOf('samples', 15),
        // the minute rollups go with the samples
        partitionOf('samples_1m', 20),
        partitionOf('samples_1m', 15),
        partitionOf('snapshots', 13),
        partitionOf('snapshots', 15),
        partitionOf('snapshots', 20),
        partitionOf('snapshots', 5),
        partitionOf('events', 100),
      ].sort(),
    );
    expect(forgottenSeries).toBe(1);
    const samples = await partitions('samples');
    expect(samples).toContain(partitionOf('samples', 13));
    expect(samples).not.toContain(partitionOf('samples', 15));

    const ages = await pool.query(
      'SELECT s.labels ->> $1 AS age FROM samples x JOIN series s ON s.id = x.series_id ORDER BY x.ts',
      ['age'],
    );
    expect(ages.rows.map((r) => r.age)).toEqual(['13', '0']);
    const snapshots = await pool.query('SELECT kind, rows FROM snapshots ORDER BY ts');
    expect(snapshots.rows).toEqual([
      { kind: 'locks', rows: [{ age: 2 }] },
      { kind: 'sessions', rows: [{ age: 0 }] },
    ]);
    const events = await store.reader.events({ from: daysAgo(200), to: NOW + 1 });
    expect(events.map((e) => e.title)).toEqual(['80 days ago', '0 days ago']);
    expect(await store.reader.labelValues('age')).toEqual(['0', '13', '15']);

    // Nothing more to do the second time.
    expect(await applyRetention(pool, RETENTION, NOW)).toEqual({ droppedPartitions: [], forgottenSeries: 0 });
  });
});
