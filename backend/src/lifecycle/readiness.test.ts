import { TargetStatus } from '../db/target-monitor';
import { LoopStatus } from '../scheduler/loop-runner';
import { assessReadiness } from './readiness';

const NOW = 1_700_000_000_000;
const MEMORY_OK = { underPressure: false, rssBytes: 100 * 1048576, limitBytes: 512 * 1048576 };

const target = (name: string, overrides: Partial<TargetStatus> = {}): TargetStatus => ({
  name,
  state: 'up',
  since: '2026-01-01T00:00:00.000Z',
  consecutiveFailures: 0,
  ...overrides,
});

const loop = (name: string, overrides: Partial<LoopStatus> = {}): LoopStatus => ({
  target: name,
  loop: 'hot',
  intervalMs: 5000,
  lastCycleStartedAt: NOW - 6000,
  lastCycleEndedAt: NOW - 5900,
  running: false,
  skippedCycles: 0,
  consecutiveFailures: 0,
  collectors: [],
  ...overrides,
});

describe('assessReadiness', () => {
  it('stays ready while a target is down or refused, and says which in degraded', () => {
    const r = assessReadiness(
      [
        target('a'),
        target('b', { state: 'down', reason: 'connection refused' }),
        target('c', { state: 'refused', reason: 'superuser' }),
      ],
      [loop('a'), loop('b', { lastCycleEndedAt: NOW - 3_600_000 })],
      MEMORY_OK,
      NOW,
    );
    expect(r.ready).toBe(true);
    expect(r.problems).toEqual([]);
    expect(r.degraded).toEqual(['target b is down: connection refused', 'target c is refused: superuser']);
  });

  it('is not ready when a loop of an up target stops finishing cycles, or memory is under pressure', () => {
    const late = assessReadiness(
      [target('a')],
      [loop('a', { lastCycleEndedAt: NOW - 200_000, lastCycleStartedAt: NOW - 200_000 })],
      MEMORY_OK,
      NOW,
    );
    expect(late.ready).toBe(false);
    expect(late.problems).toEqual(['degraded: a hot loop: no cycle for 200 s']);

    const pressed = assessReadiness([target('a')], [loop('a')], { ...MEMORY_OK, underPressure: true }, NOW);
    expect(pressed.ready).toBe(false);
    expect(pressed.problems).toEqual(['degraded: memory 100 MB of the 512 MB ceiling']);
  });

  it('lists failing collectors and the notes given without failing readiness', () => {
    const r = assessReadiness(
      [target('a')],
      [
        loop('a', {
          collectors: [
            { name: 'relations', state: 'failing', error: 'lock timeout' },
          ] as LoopStatus['collectors'],
        }),
      ],
      MEMORY_OK,
      NOW,
      ['targets_dir: bad.yaml: not YAML'],
    );
    expect(r.ready).toBe(true);
    expect(r.degraded).toEqual([
      'degraded: a hot loop: collector relations failing: lock timeout',
      'targets_dir: bad.yaml: not YAML',
    ]);
  });
});
