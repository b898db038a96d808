import { CollectorState } from '../types';
import { PreviousCycle } from './interval-deltas';
import { QueryTextCache } from './query-text-cache';

/** At most this many query texts are kept per target (LRU), of at most query_text.max_length each. */
export const QUERY_TEXT_CACHE_SIZE = 5_000;

const TEXTS = 'texts';
const PREVIOUS = 'previous';

/** The statements collector's query-text cache in its per-target state (created on first use). */
export function queryTextCacheOf(state: CollectorState): QueryTextCache {
  let cache = state.get(TEXTS);
  if (!(cache instanceof QueryTextCache))
    state.set(TEXTS, (cache = new QueryTextCache(QUERY_TEXT_CACHE_SIZE)));
  return cache as QueryTextCache;
}

export function previousCycleOf(state: CollectorState): PreviousCycle | undefined {
  return state.get(PREVIOUS) as PreviousCycle | undefined;
}

export function keepCycle(state: CollectorState, cycle: PreviousCycle): void {
  state.set(PREVIOUS, cycle);
}
