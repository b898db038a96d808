/** What the workload has done since start; exposed by DemoWorkload.counts() for logs and tests. */
export type CounterName =
  | 'connects'
  | 'failures'
  | 'oltpStatements'
  | 'reports'
  | 'tempSpills'
  | 'idleTransactions'
  | 'lockHolds'
  | 'lockWaits'
  | 'tasksDone'
  | 'tasksFailed';

export class WorkloadCounters {
  private readonly values = new Map<CounterName, number>();

  bump(name: CounterName): void {
    this.values.set(name, (this.values.get(name) ?? 0) + 1);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.values);
  }
}
