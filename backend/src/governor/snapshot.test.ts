import { Observation } from '../collectors/types';
import { activitySnapshotOf } from './snapshot';

describe('activitySnapshotOf', () => {
  const observation: Observation = {
    target: 'main',
    collector: 'activity',
    loop: 'hot',
    time: 42,
    samples: [
      { metric: 'pg_connections_used', labels: {}, value: 2 },
      { metric: 'pg_connections_usable_max', labels: {}, value: 10 },
      { metric: 'pg_connection_usage_ratio', labels: {}, value: 0.2 },
    ],
    snapshots: [
      {
        kind: 'sessions',
        rows: [
          {
            pid: 7,
            backend_start_us: '1700000000000001',
            backend_type: 'client backend',
            state: 'idle',
            state_seconds: 3.5,
            query_start: 1.5,
            is_superuser: false,
            is_self: true,
          },
          { pid: null, backend_start_us: '1', backend_type: 'client backend' },
          { pid: 8, backend_start_us: null, backend_type: 'client backend' },
        ],
      },
    ],
  };

  it('reads the sessions snapshot and usage; rows without an exact identity are left out', () => {
    const snapshot = activitySnapshotOf(observation);
    expect(snapshot).toMatchObject({ target: 'main', time: 42, used: 2, usable: 10, usage: 0.2 });
    expect(snapshot?.sessions).toEqual([
      expect.objectContaining({
        pid: 7,
        backendStartUs: '1700000000000001',
        state: 'idle',
        stateSeconds: 3.5,
        queryStartMs: 1.5,
        isSelf: true,
        isSuperuser: false,
        usename: null,
      }),
    ]);
  });

  it('ignores other collectors and incomplete observations', () => {
    expect(activitySnapshotOf({ ...observation, collector: 'wal' })).toBeUndefined();
    expect(activitySnapshotOf({ ...observation, samples: [] })).toBeUndefined();
  });
});
