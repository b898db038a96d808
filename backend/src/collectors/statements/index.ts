import { statementsDefinition } from '../../catalog/collectors/statements';
import { CollectContext, Collector } from '../types';
import { deriveStatements, queryIdsOf, StatementRow } from './derive';
import { keepCycle, previousCycleOf, queryTextCacheOf } from './state';

/**
 * Reads texts for the Top-N query ids the cache does not have, all in one statement. Best effort:
 * when it fails (budget spent, a text file being rewritten) the statistics still go out, without
 * those texts, and the ids are asked for again next cycle.
 */
async function fetchMissingTexts(context: CollectContext, queryIds: string[]): Promise<void> {
  const cache = queryTextCacheOf(context.state);
  const missing = cache.missing(queryIds);
  if (missing.length === 0) return;
  try {
    const rows = await context.query<{ queryid: string; query: string | null }>('statements-text', {
      params: [missing, context.queryText.maxLength],
    });
    cache.store(rows);
  } catch {
    // Best effort, as above: the ids stay missing and are asked for next cycle.
  }
}

export const statementsCollector: Collector = {
  ...statementsDefinition,
  enabled: (server) => server.pgStatStatements.usable,
  async collect(context) {
    const rows = await context.query<StatementRow>('statements', { params: [context.topN.statements] });
    await fetchMissingTexts(context, queryIdsOf(rows));
    const texts = queryTextCacheOf(context.state);
    const result = deriveStatements({
      rows,
      previous: previousCycleOf(context.state),
      textOf: (queryid) => texts.get(queryid),
      redact: context.queryText.redact,
    });
    keepCycle(context.state, result.cycle);
    return { samples: result.samples, snapshots: result.snapshots ?? [] };
  },
};
