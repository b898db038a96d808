/** Uniform integer in [min, max]: pauses, durations and row ids of the synthetic workload. */
export function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

/** True with the given probability (0..1). */
export function chance(probability: number): boolean {
  return Math.random() < probability;
}

export function pick<T>(items: readonly [T, ...T[]]): T {
  return items[randomInt(0, items.length - 1)] ?? items[0];
}
