/**
 * Faults the test suite injects into a backend it runs (PGG_TEST_* variables, never
 * configuration): a wall clock off by PGG_TEST_CLOCK_OFFSET_MS milliseconds.
 */
export function testClockOffsetMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.PGG_TEST_CLOCK_OFFSET_MS ?? 0);
  return Number.isFinite(value) ? value : 0;
}
