/**
 * Writes rows [0, count) with write(lo, hi). When the store refuses a range as data (a
 * non-transient error), the range is split in halves and each half written again, down to single
 * rows, which go to setAside(): one bad row costs its own place, not its batch's (about
 * 2·log2(batch) statements for one bad row). Ranges are written in order.
 *
 * A transient error (the store went away: isTransient) stops at once: returned with the index
 * from which nothing is written yet, for the caller to buffer and retry. setAside() may also throw
 * a transient error (the dead letter could not be written): that row is then not written yet;
 * its other failures are its own to log and count (the row is then lost, never the batch).
 */
export interface Interrupted {
  /** Rows from here on were not written (nor set aside). */
  resumeAt: number;
  error: unknown;
}

export async function writeIsolatingRejects(
  count: number,
  write: (lo: number, hi: number) => Promise<void>,
  setAside: (index: number, error: unknown) => Promise<void>,
  isTransient: (error: unknown) => boolean,
): Promise<Interrupted | undefined> {
  // Ranges still to write, the next one last.
  const pending: [number, number][] = count > 0 ? [[0, count]] : [];
  for (let range = pending.pop(); range; range = pending.pop()) {
    const [lo, hi] = range;
    try {
      await write(lo, hi);
      continue;
    } catch (error) {
      if (isTransient(error)) return { resumeAt: lo, error };
      if (hi - lo > 1) {
        const mid = lo + Math.floor((hi - lo) / 2);
        pending.push([mid, hi], [lo, mid]);
        continue;
      }
      try {
        await setAside(lo, error);
      } catch (deadLetterError) {
        if (isTransient(deadLetterError)) return { resumeAt: lo, error: deadLetterError };
      }
    }
  }
  return undefined;
}
