import { rendezvousAssignment } from '../lib/rendezvous';
import { LiveReplica, OwnershipView, planOwnership, TargetOwner } from './ownership-plan';

const TARGETS = Array.from({ length: 30 }, (_, i) => `db${i}`);

function view(
  me: string,
  live: LiveReplica[],
  owners: Record<string, TargetOwner> = {},
  extra: Partial<OwnershipView> = {},
): OwnershipView {
  return {
    me,
    inventory: new Set(live.find((r) => r.instance === me)?.targets ?? TARGETS),
    live,
    owners: new Map(Object.entries(owners)),
    leaving: new Set(),
    ...extra,
  };
}

const replica = (instance: string, targets = TARGETS, claiming = true): LiveReplica => ({
  instance,
  targets,
  claiming,
});
const joining = (instance: string, targets = TARGETS) => replica(instance, targets, false);

it('a replica alone claims every free target at once', () => {
  const plan = planOwnership(view('a', [replica('a')]));
  expect([...plan.owned].sort()).toEqual([...TARGETS].sort());
  expect(plan.claim).toHaveLength(TARGETS.length);
  expect(plan.handOver).toEqual([]);
});

it('replicas claim disjoint shares that cover every target', () => {
  const live = [replica('a'), replica('b'), replica('c')];
  const plans = ['a', 'b', 'c'].map((me) => planOwnership(view(me, live)));
  const all = plans.flatMap((p) => [...p.owned]);
  expect(all.sort()).toEqual([...TARGETS].sort());
  for (const p of plans) expect(p.owned.size).toBe(TARGETS.length / 3);
});

it('keeps a target owned by a live replica, even when it is not its share', () => {
  const owners = Object.fromEntries(TARGETS.map((t) => [t, { owner: 'a', live: true }]));
  const plan = planOwnership(view('b', [replica('a'), replica('b')], owners));
  expect(plan.owned.size).toBe(0);
  expect(plan.claim).toEqual([]);
});

it("hands over what is a newcomer's share, keeps the rest", () => {
  const owners = Object.fromEntries(TARGETS.map((t) => [t, { owner: 'a', live: true }]));
  const live = [replica('a'), replica('b')];
  const plan = planOwnership(view('a', live, owners));
  const assignment = rendezvousAssignment(
    new Map(TARGETS.map((t) => [t, ['a', 'b']])),
    new Map(TARGETS.map((t) => [t, 'a'])),
  );
  const bShare = TARGETS.filter((t) => assignment.get(t) === 'b');
  expect(bShare).toHaveLength(TARGETS.length / 2);
  expect(plan.handOver).toEqual([...bShare].sort());
  expect(plan.owned.size).toBe(TARGETS.length - bShare.length);
  // Until released, the newcomer does not take them.
  expect(planOwnership(view('b', live, owners)).claim).toEqual([]);
});

it("takes a dead owner's targets that are its share", () => {
  const owners = Object.fromEntries(TARGETS.map((t) => [t, { owner: 'dead', live: false }]));
  const live = [replica('a'), replica('b')];
  const a = planOwnership(view('a', live, owners));
  const b = planOwnership(view('b', live, owners));
  expect([...a.claim, ...b.claim].sort()).toEqual([...TARGETS].sort());
  expect(a.claim.filter((t) => b.claim.includes(t))).toEqual([]);
});

it('a target goes only to replicas configured to watch it', () => {
  const live = [replica('a', ['x', 'y']), replica('b', ['y'])];
  expect([...planOwnership(view('a', live)).owned].sort()).toContain('x');
  expect(planOwnership(view('b', live)).owned.has('x')).toBe(false);
});

it('hands over a target no longer configured here, and does not count what is leaving', () => {
  const owners = { x: { owner: 'a', live: true }, y: { owner: 'a', live: true } };
  const plan = planOwnership(view('a', [replica('a', ['y'])], owners, { leaving: new Set(['y']) }));
  expect(plan.handOver).toEqual(['x']);
  expect(plan.owned.size).toBe(0);
});

it('in its join window a replica claims nothing', () => {
  const plan = planOwnership(view('a', [joining('a')]));
  expect(plan.owned.size).toBe(0);
  expect(plan.claim).toEqual([]);
});

it('replicas started together: each claims only its share, the share of one still joining waits for it', () => {
  const live = [replica('a'), joining('b'), joining('c')];
  const a = planOwnership(view('a', live));
  expect(a.owned.size).toBe(TARGETS.length / 3);
  // Once b's window is over, b claims its share and nothing of a's; c's is left to c.
  const owners = Object.fromEntries([...a.owned].map((t) => [t, { owner: 'a', live: true }]));
  const b = planOwnership(view('b', [replica('a'), replica('b'), joining('c')], owners));
  expect(b.owned.size).toBe(TARGETS.length / 3);
  expect([...b.owned].filter((t) => a.owned.has(t))).toEqual([]);
  expect(b.handOver).toEqual([]);
});

it('hands a newcomer nothing until its join window is over', () => {
  const owners = Object.fromEntries(TARGETS.map((t) => [t, { owner: 'a', live: true }]));
  const during = planOwnership(view('a', [replica('a'), joining('b')], owners));
  expect(during.handOver).toEqual([]);
  expect(during.owned.size).toBe(TARGETS.length);
  const after = planOwnership(view('a', [replica('a'), replica('b')], owners));
  expect(after.handOver).toHaveLength(TARGETS.length / 2);
});
