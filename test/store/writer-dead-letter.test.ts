import { Pool, QueryResultRow } from 'pg';
import { HistoryStore, openStore, StoredEvent } from '../../backend/src/store';
import { startPostgres, TestPostgres } from '../support/postgres';
import {
  capturedLog,
  createDatabase,
  observation,
  pgStoreMetric,
  poolFor,
  registry,
  storeConfig,
} from './store-kit';

/**
 * A row the store refuses costs its own place, not its batch's: the writer splits a refused batch
 * until only the bad rows are left, keeps those in dead_letter (SQLSTATE, message, the row as
 * JSON text), counts them, logs them without their values, and writes the rest. Text the store
 * cannot hold (lone surrogates, NUL) is made storable rather than refused.
 *
 * The store refuses rows here by a trigger (a data error from the real server, SQLSTATE 22023)
 * and by a time past the year 10000.
 */
let pg: TestPostgres;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.destroy();
});

/** A BEFORE INSERT trigger on a table that refuses the rows matching `condition`. */
const refuse = (table: string, condition: string) => `
CREATE FUNCTION refuse_${table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF ${condition} THEN
    RAISE EXCEPTION 'refused %', quote_literal(NEW::text) USING ERRCODE = '22023';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER refuse BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_${table}();
`;
const REFUSE = [
  refuse('events', "NEW.title LIKE 'REFUSE%'"),
  refuse('snapshots', "NEW.kind = 'refuse'"),
  refuse('samples', 'NEW.value = 666.25'),
].join('');

const LATEST_JS_DATE = 8_640_000_000_000_000;

describe('history writer with rows the store refuses', () => {
  let store: HistoryStore | undefined;
  let pool: Pool | undefined;
  afterEach(async () => {
    await store?.stop();
    await pool?.end();
    store = undefined;
    pool = undefined;
  });

  it('sets aside only the refused rows (events, snapshots, samples) and writes the rest', async () => {
    const url = await createDatabase(pg, 'dead_letter');
    const metrics = registry();
    const { log, lines } = capturedLog();
    store = await openStore(storeConfig(url, { PGG_STORE__FLUSH_INTERVAL_MS: '600000' }), log, metrics);
    pool = poolFor(url);
    const query = async <R extends QueryResultRow>(sql: string) => (await (pool as Pool).query<R>(sql)).rows;
    await query(REFUSE);

    const base = Date.now() - 60_000;
    const event = (i: number, overrides: Partial<StoredEvent> = {}): StoredEvent => ({
      time: base + i,
      target: 'dl',
      kind: 'grafana_alert',
      severity: 'info',
      title: `event ${i}`,
      text: '',
      tags: [],
      ...overrides,
    });
    for (let i = 0; i < 40; i++) {
      if (i === 3) store.writer.writeEvent(event(i, { title: 'REFUSE secret-value-3' }));
      else if (i === 17) store.writer.writeEvent(event(i, { time: LATEST_JS_DATE }));
      else if (i === 29)
        store.writer.writeEvent(
          event(i, { title: 'lone \ud800 surrogate\0', data: { labels: { 'k\udc00': 'v\ud800' } } }),
        );
      else store.writer.writeEvent(event(i));
    }
    store.writer.write(
      observation(
        'dl',
        base,
        [
          ...Array.from({ length: 30 }, (_, i) => ({
            metric: 'dl_test',
            labels: { i: String(i) },
            value: i,
          })),
          { metric: 'dl_test', labels: { i: 'refused' }, value: 666.25 },
          { metric: 'dl_test', labels: { i: 'lone \ud800' }, value: 7 },
        ],
        [
          { kind: 'sessions', rows: [{ query: 'a \udfff b\0' }] },
          { kind: 'refuse', rows: [{ n: 1 }] },
          { kind: 'locks', rows: [] },
        ],
      ),
    );
    store.writer.write(observation('dl', LATEST_JS_DATE, [{ metric: 'dl_far', labels: {}, value: 1 }]));
    await store.writer.flush();

    const titles = (await query<{ title: string }>(`SELECT title FROM events WHERE target = 'dl'`)).map(
      (r) => r.title,
    );
    expect(titles).toHaveLength(38);
    expect(titles).toContain('lone \ufffd surrogate');
    const labels = await query<{ data: unknown }>(`SELECT data FROM events WHERE title LIKE 'lone%'`);
    expect(labels[0]?.data).toEqual({ labels: { 'k\ufffd': 'v\ufffd' } });

    const kinds = (await query<{ kind: string }>(`SELECT kind FROM snapshots ORDER BY kind`)).map(
      (r) => r.kind,
    );
    expect(kinds).toEqual(['locks', 'sessions']);
    const sessions = await query<{ rows: unknown }>(`SELECT rows FROM snapshots WHERE kind = 'sessions'`);
    expect(sessions[0]?.rows).toEqual([{ query: 'a \ufffd b' }]);

    const samples = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM samples x JOIN series s ON s.id = x.series_id WHERE s.metric = 'dl_test'`,
    );
    expect(samples[0]?.n).toBe(31);

    const dead = await query<{ kind: string; sqlstate: string | null; message: string; row: string }>(
      `SELECT kind, sqlstate, message, row FROM dead_letter ORDER BY kind, id`,
    );
    expect(dead.map((d) => [d.kind, d.sqlstate])).toEqual([
      ['events', '22023'],
      ['events', null],
      ['samples', '22023'],
      ['samples', null],
      ['snapshots', '22023'],
    ]);
    const rows = dead.map((d) => JSON.parse(d.row) as Record<string, unknown>);
    expect(rows[0]).toMatchObject({ title: 'REFUSE secret-value-3', ms: base + 3 });
    expect(rows[1]).toMatchObject({ title: 'event 17', ms: LATEST_JS_DATE });
    expect(rows[2]).toMatchObject({ metric: 'dl_test', labels: { i: 'refused' }, value: 666.25 });
    expect(rows[3]).toMatchObject({ metric: 'dl_far', ms: LATEST_JS_DATE });
    expect(rows[4]).toMatchObject({ kind: 'refuse', rows: [{ n: 1 }] });
    expect(dead[1]?.message).toMatch(/outside what the store keeps/);

    const rejected = async (kind: string) =>
      (await metrics.getSingleMetric('pgg_store_rejected_rows_total')?.get())?.values.find(
        (v) => v.labels.kind === kind,
      )?.value;
    expect([await rejected('events'), await rejected('samples'), await rejected('snapshots')]).toEqual([
      2, 2, 1,
    ]);
    expect(await pgStoreMetric(metrics, 'pgg_store_buffered_events')).toBe(0);

    // Logged by SQLSTATE and reason, never with the refused values.
    const refusals = lines.filter((l) => /set aside in dead_letter/.test(l.msg ?? ''));
    expect(refusals).toHaveLength(5);
    expect(JSON.stringify(lines)).not.toContain('secret-value-3');
  });
});
