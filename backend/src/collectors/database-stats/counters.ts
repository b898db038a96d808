/**
 * Increases of cumulative server counters between two cycles, for the rates and interval gauges
 * the collectors derive (TPS, cache hit ratio, WAL bytes per second, ...). Shared by the collectors
 * of this issue; the readings live in the collector's context.state between cycles.
 */

/** Cumulative counters as read in one cycle. */
export interface CounterReading {
  /** Cycle time, ms since epoch. */
  at: number;
  /**
   * What changes when the counters start again from zero: stats_reset, and the object's oid for
   * per-object counters (a database dropped and created again under the same name).
   */
  epoch: string;
  /** Counter values; a counter the server did not report (NULL) is absent. */
  values: Record<string, number>;
}

export interface CounterIncrease {
  /** Length of the interval. */
  seconds: number;
  /** Per counter present in both readings; never negative. */
  increase: Record<string, number>;
  /** The counters restarted within the interval: each increase counts from the reset (a lower bound). */
  reset: boolean;
}

/**
 * How much each counter grew between two readings, or undefined when there is no earlier reading
 * or no time passed (a rate would be infinite or meaningless). A reset, seen as a changed epoch or
 * any counter going backwards (stats lost in a crash do not touch stats_reset), means every counter
 * of the set restarted inside the interval, so its current value is what it counted since: the same
 * rule as Prometheus' increase(), and never a negative rate.
 */
export function counterIncrease(
  previous: CounterReading | undefined,
  current: CounterReading,
): CounterIncrease | undefined {
  if (!previous) return undefined;
  const seconds = (current.at - previous.at) / 1000;
  if (!(seconds > 0)) return undefined;
  const reset =
    previous.epoch !== current.epoch ||
    Object.entries(current.values).some(([name, value]) => {
      const before = previous.values[name];
      return before !== undefined && value < before;
    });
  const increase: Record<string, number> = {};
  for (const [name, value] of Object.entries(current.values)) {
    const before = previous.values[name];
    if (reset) increase[name] = Math.max(0, value);
    else if (before !== undefined) increase[name] = value - before;
  }
  return { seconds, increase, reset };
}

/** The sum of some counters' increases, or undefined when one of them is unknown. */
export function sumOf(increase: Record<string, number>, names: string[]): number | undefined {
  let total = 0;
  for (const name of names) {
    const value = increase[name];
    if (value === undefined) return undefined;
    total += value;
  }
  return total;
}

/** Counter values of a row: the named columns that are numbers (NULL columns left out). */
export function readValues<Row extends object>(
  row: Row,
  columns: readonly (keyof Row & string)[],
): Record<string, number> {
  const values: Record<string, number> = {};
  for (const column of columns) {
    const value = row[column];
    if (typeof value === 'number' && Number.isFinite(value)) values[column] = value;
  }
  return values;
}
