import { FastifyInstance } from 'fastify';
import type { Overview } from '../../backend/src/contract/overview';
import { activityCollector } from '../../backend/src/collectors/activity';
import { settingsCollector } from '../../backend/src/collectors/settings';
import { Collector, Observation } from '../../backend/src/collectors/types';
import { collectOnce } from '../support/collect';
import { ApiFixture, TARGET } from './api-fixture';
import { apiServer, call, closeAgent, listen } from './api-server';
import { storeOnlyFixture } from './store-only-fixture';

/**
 * /api/v1/overview's lastCollectedAt is the newest successful collection: when the hot loop's
 * collector fails (the target is gone) and its observation is forgotten, the time stays, rather
 * than falling back to the hourly collector's older one.
 */
let fixture: ApiFixture;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  fixture = await storeOnlyFixture();
  app = await apiServer(fixture);
  base = await listen(app);
}, 60_000);

afterAll(async () => {
  closeAgent();
  await app?.close();
  await fixture?.stop();
});

/** One real cycle of a collector, stamped with its cycle's start as the loop runner does. */
async function collected(collector: Collector, time: number): Promise<Observation> {
  const result = await collectOnce(fixture.pg.url('postgres'), collector, { target: TARGET });
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
  const response = await call<Overview>(base, { method: 'GET', url: '/api/v1/overview' });
  expect(response.status).toBe(200);
  return response.body.targets.find((t) => t.name === TARGET)?.lastCollectedAt;
}

it('keeps the newest successful collection time through an outage', async () => {
  const hourly = fixture.startedAt;
  const hot = hourly + 5_000;
  fixture.latest.record(await collected(settingsCollector, hourly));
  fixture.latest.record(await collected(activityCollector, hot));
  expect(await lastCollectedAt()).toBe(hot);

  // The target goes away: the hot collector fails, and the loop forgets its last observation.
  await fixture.pg.stop();
  await expect(collected(activityCollector, hot + 5_000)).rejects.toThrow();
  fixture.latest.forget(TARGET, activityCollector.name);
  expect(await lastCollectedAt()).toBe(hot);

  // Back up: a newer collection moves it forward again.
  await fixture.pg.start();
  fixture.latest.record(await collected(activityCollector, hot + 60_000));
  expect(await lastCollectedAt()).toBe(hot + 60_000);
});
