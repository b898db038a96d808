import { BackendProcess, eventually, readyz, targetsUp } from '../support/backend-process';
import { NEWEST_MAJOR, startPostgres, TestPostgres } from '../support/postgres';
import { metricOf, metrics } from '../governor/service-kit';

/**
 * The loops across a target outage (issue 12, item 8): "target down" is not a collector failure,
 * so the loops never back off for it, and the monitor's up transition runs them at once. The
 * workload loop runs every hour here: only the wake on "up" can make it collect again (and at
 * start) within the test's deadlines. One major: this is the scheduler, not the SQL.
 */
jest.setTimeout(180_000);

const PASSWORD = 'monitor-pw-123';
const COLLECTOR = 'database_stats'; // a workload-loop collector

describe(`loops across a target outage (PostgreSQL ${NEWEST_MAJOR})`, () => {
  let pg: TestPostgres;
  let backend: BackendProcess | undefined;
  let url: string;

  beforeAll(async () => {
    pg = await startPostgres();
    await pg.createRole('pgg_monitor', { password: PASSWORD, grants: ['pg_monitor'] });
    ({ backend, url } = await BackendProcess.start({
      PGG_TARGET_URL: pg.url('postgres', 'pgg_monitor', PASSWORD),
      PGG_LOOPS__HOT__INTERVAL_S: '1',
      PGG_LOOPS__WORKLOAD__INTERVAL_S: '3600',
      PGG_RECONNECT__PROBE_INTERVAL_S: '1',
      PGG_RECONNECT__INITIAL_BACKOFF_MS: '1000',
      PGG_RECONNECT__MAX_BACKOFF_MS: '8000',
    }));
  });

  afterAll(async () => {
    await backend?.stop('SIGKILL');
    await pg?.destroy();
  });

  const value = async (name: string, labels: Record<string, string>) =>
    metricOf(await metrics(url), name, { target: 'main', ...labels }) ?? 0;
  const lastSuccessMs = async () =>
    1000 * (await value('pgg_collector_last_success_timestamp_seconds', { collector: COLLECTOR }));
  const hotTicks = async () =>
    (await value('pgg_loop_cycles_total', { loop: 'hot' })) +
    (await value('pgg_loop_skipped_cycles_total', { loop: 'hot', reason: 'backoff' })) +
    (await value('pgg_loop_skipped_cycles_total', { loop: 'hot', reason: 'overlap' }));

  it('collects as soon as the target is first identified (the hourly-ish loop does not wait an interval)', async () => {
    await targetsUp(url, 30_000);
    await eventually(
      async () => ((await lastSuccessMs()) > 0 ? true : undefined),
      30_000,
      `${COLLECTOR} collected`,
    );
  });

  it('does not back off while the target is down, and resumes on the up transition', async () => {
    await pg.stop();
    const stoppedAt = Date.now();
    await eventually(
      async () => ((await readyz(url)).body.targets[0]?.state === 'down' ? true : undefined),
      30_000,
      'target reported down',
    );
    // Enough hot ticks while down for backoff to show (the backoff doubles from 1 s).
    const ticksAtDown = await hotTicks();
    await eventually(
      async () => ((await hotTicks()) >= ticksAtDown + 8 ? true : undefined),
      60_000,
      'hot-loop ticks while the target is down',
    );
    expect(await value('pgg_loop_skipped_cycles_total', { loop: 'hot', reason: 'backoff' })).toBe(0);
    expect(await value('pgg_collector_success', { collector: 'activity' })).toBe(0);

    await pg.start();
    await targetsUp(url, 60_000);
    // The workload loop's next tick is an hour away: a fresh success means the up transition ran it.
    await eventually(
      async () => ((await lastSuccessMs()) > stoppedAt ? true : undefined),
      30_000,
      `${COLLECTOR} collected after the target came back`,
    );
    expect(await value('pgg_collector_success', { collector: COLLECTOR })).toBe(1);
    await eventually(
      async () =>
        (await value('pgg_collector_success', { collector: 'activity' })) === 1 ? true : undefined,
      30_000,
      'the hot loop collecting again',
    );
    expect(await value('pgg_loop_skipped_cycles_total', { loop: 'hot', reason: 'backoff' })).toBe(0);
  });
});
