import { nextTurn, TurnBudget } from './turn-budget';

/** A clock the test moves, and the turns the budget took. */
function fakeClock() {
  let now = 0;
  const turns: number[] = [];
  return {
    now: () => now,
    advance: (ms: number) => (now += ms),
    turn: async () => {
      turns.push(now);
    },
    turns,
  };
}

describe('TurnBudget', () => {
  it('gives the turn back only once its budget is spent, then starts a new one', async () => {
    const clock = fakeClock();
    const budget = new TurnBudget(5, clock.now, clock.turn);
    clock.advance(4);
    await budget.pause();
    expect(clock.turns).toEqual([]);
    clock.advance(1);
    expect(budget.spent()).toBe(true);
    await budget.pause();
    expect(clock.turns).toEqual([5]);
    expect(budget.spent()).toBe(false);
    clock.advance(4);
    await budget.pause();
    clock.advance(6);
    await budget.pause();
    expect(clock.turns).toEqual([5, 15]);
    expect(clock.turns).toHaveLength(2);
  });

  it('gives the turn back on demand, before its budget is spent, and starts a new one', async () => {
    const clock = fakeClock();
    const budget = new TurnBudget(5, clock.now, clock.turn);
    clock.advance(2);
    await budget.giveBack();
    clock.advance(4);
    await budget.pause();
    expect(clock.turns).toEqual([2]);
    expect(clock.turns).toHaveLength(1);
  });

  it('lets what waits on the event loop run between two pieces of work', async () => {
    const order: string[] = [];
    const budget = new TurnBudget(0);
    setImmediate(() => order.push('waiting'));
    order.push('first');
    await budget.pause();
    order.push('second');
    expect(order).toEqual(['first', 'waiting', 'second']);
  });

  it('nextTurn resolves after what was already queued with setImmediate', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('queued'));
    await nextTurn();
    order.push('after');
    expect(order).toEqual(['queued', 'after']);
  });
});
