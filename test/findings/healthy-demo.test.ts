import { Client } from 'pg';
import { FINDING_KINDS } from '../../backend/src/catalog/findings';
import { ALL_COLLECTORS } from '../../backend/src/collectors';
import { DemoWorkload, startDemoWorkload } from '../../backend/src/demo/workload';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';
import { createMonitorRole, FindingsKit } from './findings-kit';

/**
 * No false positives: a freshly started server running the demo workload (idle sessions, OLTP, a
 * slow report that spills, a transaction idle for minutes, a lock chain, a task queue), collected
 * for a while as the loops would with the default thresholds, yields no finding of severity
 * warning or above, and every check runs.
 */
jest.setTimeout(120_000);

const WATCH_MS = 15_000;
const HOT_EVERY_MS = 4_000;
const APP = { role: 'demo_app', password: 'demo-app-pw-findings', database: 'shop' };
const DURABLE = { fsync: 'on', full_page_writes: 'on', synchronous_commit: 'on' };

/** Every collector a finding reads. */
const INPUTS = ALL_COLLECTORS.filter((c) =>
  FINDING_KINDS.some((k) => k.inputs.some((i) => i.collector === c.name)),
);

describe.each(majorsUnderTest())(
  'findings on a healthy server with the demo workload, PostgreSQL %i',
  (major) => {
    let pg: TestPostgres;
    let workload: DemoWorkload | undefined;
    const quiet = { info: () => undefined, warn: () => undefined };

    beforeAll(async () => {
      // Durable, as a healthy production server is (the harness turns that off for speed).
      pg = await startPostgres({ major, settings: DURABLE });
      await createMonitorRole(pg);
      await pg.query(`CREATE ROLE ${APP.role} LOGIN PASSWORD '${APP.password}'`);
      await pg.query(`CREATE DATABASE ${APP.database} OWNER ${APP.role}`);
      // As on a production target: the statements (and statement_regression) read it.
      const shop = new Client({ connectionString: pg.url(APP.database) });
      await shop.connect();
      await shop.query('CREATE EXTENSION pg_stat_statements').finally(() => shop.end());
      workload = await startDemoWorkload({
        url: pg.url(APP.database, APP.role, APP.password),
        log: quiet,
        scale: 1,
      });
    });

    afterAll(async () => {
      await workload?.stop();
      await pg?.destroy();
    });

    it('finds nothing of severity warning or above, and every check runs', async () => {
      const kit = new FindingsKit(pg, {}, APP.database);
      const serious = () => kit.engine.findings({ severities: ['warning', 'critical'] });
      await kit.observe(...INPUTS);
      const started = Date.now();
      while (Date.now() - started < WATCH_MS) {
        await new Promise((r) => setTimeout(r, HOT_EVERY_MS));
        await kit.observe(...INPUTS.filter((c) => c.loop === 'hot'));
        expect(serious().map((f) => f.title)).toEqual([]);
      }
      await kit.observe(...INPUTS);
      expect(serious().map((f) => f.title)).toEqual([]);
      expect(kit.engine.checks().filter((c) => c.state !== 'ok')).toEqual([]);
    });
  },
);
