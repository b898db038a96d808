import { LeaseCheck, LeaseState } from '../governor/lease';
import { TargetFence } from './target-fence';

/** A lease whose lock is free, ours or another session's, taken only when allowed (as lease.sql). */
function lease(initial: 'free' | 'ours' | 'theirs', mayTake: () => boolean) {
  let lock = initial;
  let state: LeaseState = 'unknown';
  const fake = {
    fenced: true,
    checks: 0,
    state: () => state,
    lose: () => (lock = 'free'),
    async check(): Promise<LeaseCheck> {
      fake.checks += 1;
      if (lock === 'free' && mayTake()) lock = 'ours';
      state = lock === 'ours' ? 'held' : lock === 'theirs' ? 'other' : 'free';
      return { held: lock === 'ours' };
    },
  };
  return fake;
}

/** This replica's ownership: renewed (valid), not yet past its end (within), of target t. */
const clock = {
  valid: true,
  within: true,
  mine: true,
  owns: (target: string) => clock.mine && target === 't',
  leaseValid: () => clock.valid,
  withinLease: () => clock.within,
};

beforeEach(() => {
  clock.valid = true;
  clock.within = true;
  clock.mine = true;
});

it('stops collecting and publishing a target another replica owns now, lease valid or not', async () => {
  const l = lease('free', () => clock.valid);
  const fence = new TargetFence('t', clock, l, () => true);
  expect(await fence.mayCollect()).toBe(true);
  clock.mine = false;
  expect(await fence.mayCollect()).toBe(false);
  expect(fence.reason).toMatch(/another replica owns it/);
  expect(fence.mayPublish()).toBe(false);
});

it('collects an owned target, taking its lock once', async () => {
  const l = lease('free', () => clock.valid);
  const fence = new TargetFence('t', clock, l, () => true);
  expect(await fence.mayCollect()).toBe(true);
  expect(await fence.mayCollect()).toBe(true);
  expect(l.checks).toBe(1);
  expect(fence.mayPublish()).toBe(true);
});

it("waits while another replica's session holds the lock", async () => {
  const l = lease('theirs', () => clock.valid);
  const fence = new TargetFence('t', clock, l, () => true);
  expect(await fence.mayCollect()).toBe(false);
  expect(fence.reason).toMatch(/held by another replica/);
  expect(fence.mayPublish()).toBe(false);
});

it('past the lease without renewal: goes on while it holds the lock, never takes it back', async () => {
  const l = lease('free', () => clock.valid);
  const fence = new TargetFence('t', clock, l, () => true);
  expect(await fence.mayCollect()).toBe(true);
  clock.valid = false;
  clock.within = false;
  expect(await fence.mayCollect()).toBe(true);
  expect(fence.mayPublish()).toBe(true);
  l.lose();
  expect(await fence.mayCollect()).toBe(false);
  expect(fence.mayPublish()).toBe(false);
  expect(l.state()).toBe('free');
});

it('without a lock to hold (pool_max 1), stops at the end of the lease', async () => {
  const fence = new TargetFence('t', clock, undefined, () => true);
  expect(await fence.mayCollect()).toBe(true);
  clock.valid = false;
  expect(await fence.mayCollect()).toBe(false);
  expect(fence.mayPublish()).toBe(true); // a cycle started in time may still publish until the lease's end
  clock.within = false;
  expect(fence.mayPublish()).toBe(false);
});

it('once closed, nothing more', async () => {
  const fence = new TargetFence(
    't',
    clock,
    lease('ours', () => true),
    () => true,
  );
  fence.close();
  expect(await fence.mayCollect()).toBe(false);
  expect(fence.mayPublish()).toBe(false);
});
