import { performance } from 'node:perf_hooks';

/** The event loop's next turn: what is waiting (I/O, timers, requests) runs before the caller goes on. */
export const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/** How long batch work holds the event loop before letting it run (ms). */
export const DEFAULT_TURN_MS = 5;

/**
 * Batch work that gives the event loop back every `budgetMs` of running: the caller asks at points
 * where stopping is safe (between targets, rules, statements) and goes on in a later turn when the
 * budget is spent, so that a request or a collector's reply waits a few milliseconds, not the whole
 * batch. The work and its result are the same; only when it runs changes.
 */
export class TurnBudget {
  private started: number;

  constructor(
    private readonly budgetMs = DEFAULT_TURN_MS,
    private readonly now: () => number = () => performance.now(),
    private readonly turn: () => Promise<void> = nextTurn,
  ) {
    this.started = now();
  }

  /** Whether this turn's budget is spent (the caller should await pause() before going on). */
  spent(): boolean {
    return this.now() - this.started >= this.budgetMs;
  }

  /** Lets the event loop run if this turn's budget is spent; else resolves at once (no turn). */
  async pause(): Promise<void> {
    if (this.spent()) await this.giveBack();
  }

  /** Lets the event loop run now, whatever is left of the budget, and starts a new turn. */
  async giveBack(): Promise<void> {
    await this.turn();
    this.started = this.now();
  }
}
