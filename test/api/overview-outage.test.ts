import type { Overview } from '../../backend/src/contract/overview';
import { activityCollector } from '../../backend/src/collectors/activity';
import { settingsCollector } from '../../backend/src/collectors/settings';
import { Collector, Observation } from '../../backend/src/collectors/types';
import { collectOnce } from '../support/collect';
import { TARGET } from './api-fixture';
import { call, servedApi } from './api-server';
import { storeOnlyFixture } from './store-only-fixture';

/**
 * /api/v1/overview's lastCollectedAt is the newest successful collection: when the hot loop's
 * collector fails (the target is gone) and its observation is forgotten, the time stays, rather
 * than falling back to the hourly collector's older one.
 */
const api = servedApi(storeOnlyFixture);

/** One real cycle of a collector, stamped with its cycle's start as the loop runner does. */
async function collected(collector: Collector, time: number): Promise<Observation> {
  const result = await collectOnce(api.fixture.pg.url('postgres'), collector, { target: TARGET });
  return {
    target: TARGET,
    collector: collector.name,
    loop: 'hot',
    time,
    samples: result.samples,
    snapshots: result.snapshots ?? [],
  };
}

async function lastCollectedAt(): Promise<number | null | undefined> {
  const response = await call<Overview>(api.base, { method: 'GET', url: '/api/v1/overview' });
  expect(response.status).toBe(200);
  return response.body.targets.find((t) => t.name === TARGET)?.lastCollectedAt;
}

it('keeps the newest successful collection time through an outage', async () => {
  const hourly = api.fixture.startedAt;
  const hot = hourly + 5_000;
  api.fixture.latest.record(await collected(settingsCollector, hourly));
  api.fixture.latest.record(await collected(activityCollector, hot));
  expect(await lastCollectedAt()).toBe(hot);

  // The target goes away: the hot collector fails, and the loop forgets its last observation.
  await api.fixture.pg.stop();
  await expect(collected(activityCollector, hot + 5_000)).rejects.toThrow();
  api.fixture.latest.forget(TARGET, activityCollector.name);
  expect(await lastCollectedAt()).toBe(hot);

  // Back up: a newer collection moves it forward again.
  await api.fixture.pg.start();
  api.fixture.latest.record(await collected(activityCollector, hot + 60_000));
  expect(await lastCollectedAt()).toBe(hot + 60_000);
});
