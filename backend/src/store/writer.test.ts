import pino from 'pino';
import { Pool } from 'pg';
import { Observation } from '../collectors/types';
import { StoreWriter } from './writer';

const log = pino({ level: 'silent' });
const refused = () =>
  Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
/** A store that is down: every connection attempt fails at once. */
const downPool = { connect: refused } as unknown as Pool;

const settings = {
  flushIntervalMs: 60_000,
  batchMaxRows: 500,
  bufferMaxSamples: 1000,
  bufferMaxSnapshotRows: 100,
  backoff: { initialMs: 10, maxMs: 20 },
};

const observation = (time: number, values: number[], snapshotRows = 0): Observation => ({
  target: 't',
  collector: 'c',
  loop: 'hot',
  time,
  samples: values.map((value, i) => ({ metric: 'm', labels: { i: String(i) }, value })),
  snapshots: snapshotRows
    ? [{ kind: 'sessions', rows: Array.from({ length: snapshotRows }, () => ({ a: 1 })) }]
    : [],
});

describe('StoreWriter buffering (store down)', () => {
  it('buffers, drops the oldest samples beyond the bound and counts them, never events', async () => {
    const writer = new StoreWriter(downPool, settings, log);
    writer.start();
    for (let i = 0; i < 300; i++)
      writer.write(observation(1_700_000_000_000 + i * 1000, [i, i, i, i, i, i, i, i, i, i]));
    for (let i = 0; i < 5000; i++)
      writer.writeEvent({
        time: 1_700_000_000_000 + i,
        target: 't',
        kind: 'alert',
        severity: 'info',
        title: 'e',
        text: '',
        tags: [],
      });
    await expect(writer.flush()).rejects.toThrow(/ECONNREFUSED/);
    expect(writer.status()).toMatchObject({
      bufferedSamples: 1000,
      droppedSamples: 2000,
      bufferedEvents: 5000,
      storeReachable: false,
    });
    await writer.stop();
  });

  it('skips values that are not numbers and never throws from write()', () => {
    const writer = new StoreWriter(downPool, settings, log);
    writer.write(observation(1_700_000_000_000, [1, NaN, Infinity, 2]));
    writer.write(observation(NaN, [1]));
    writer.write({ target: 't' } as unknown as Observation);
    expect(writer.status().bufferedSamples).toBe(2);
  });

  it('bounds snapshots by rows, dropping whole old snapshots', () => {
    const writer = new StoreWriter(downPool, settings, log);
    for (let i = 0; i < 5; i++) writer.write(observation(1_700_000_000_000 + i, [], 30));
    expect(writer.status()).toMatchObject({ bufferedSnapshots: 3, droppedSnapshots: 2 });
  });

  it("queues the events an observation carries as the target's events", () => {
    const writer = new StoreWriter(downPool, settings, log);
    const event = {
      kind: 'settings_drift' as const,
      severity: 'info' as const,
      title: 'PgBouncer setting x changed: 1 -> 2',
      text: '',
      tags: ['pgbouncer'],
    };
    writer.write({ ...observation(1_700_000_000_000, [1]), events: [event, event] });
    expect(writer.status()).toMatchObject({ bufferedSamples: 1, bufferedEvents: 2 });
  });

  it('keeps an event whose data JSON cannot hold out of the queue, and the others in it', () => {
    const writer = new StoreWriter(downPool, settings, log);
    const base = {
      time: 1,
      target: null,
      kind: 'alert' as const,
      severity: 'info' as const,
      title: 'x',
      text: '',
      tags: [],
    };
    writer.writeEvent({ ...base, data: { big: BigInt(1) } });
    writer.writeEvent(base);
    expect(writer.status().bufferedEvents).toBe(1);
  });
});
